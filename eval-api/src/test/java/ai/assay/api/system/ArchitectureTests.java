package ai.assay.api.system;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import ai.assay.reference.testing.ProductionClasses;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "ai.assay", importOptions = ProductionClasses.class)
class ArchitectureTests {

    @ArchTest
    static final ArchRule featuresHaveNoCycles = slices().matching("ai.assay.(*).(*)..")
            .should()
            .beFreeOfCycles()
            .because("a feature package must be readable and testable without the ones that use it");

    @ArchTest
    static final ArchRule coreKnowsNoWeb = noClasses()
            .that()
            .resideInAPackage("ai.assay.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework.web..", "jakarta.servlet..")
            .because("eval-core is shared with the worker, which has no web API");

    @ArchTest
    static final ArchRule storedRowsStayBehindTheApi = noClasses()
            .that()
            .resideInAPackage("ai.assay.api..")
            .should()
            .dependOnClassesThat()
            .haveSimpleNameEndingWith("Row")
            .because("responses are views made for the API, never database rows");
}
