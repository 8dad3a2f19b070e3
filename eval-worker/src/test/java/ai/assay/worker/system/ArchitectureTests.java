package ai.assay.worker.system;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import ai.assay.core.testing.ProductionClasses;
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
    static final ArchRule theWorkerHasNoWebApi = noClasses()
            .that()
            .resideInAPackage("ai.assay.worker..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework.web.bind.annotation..")
            .because("the worker serves Actuator only; everything reaches it through the database");

    @ArchTest
    static final ArchRule tasksUseTheSpiNotTheQueue = noClasses()
            .that()
            .resideInAnyPackage("ai.assay.worker.smoke..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("ai.assay.worker.queue..", "ai.assay.worker.job..", "ai.assay.worker.results..")
            .because("task runners see jobs only through the task SPI, which fences every write by the lease");
}
