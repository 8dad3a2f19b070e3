package ai.assay.worker.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class NativeMemoryBoundaryTests {

    @Test
    void onlyTheOrtPackageTouchesNativeMemory() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ai.assay.worker");
        noClasses()
                .that()
                .resideOutsideOfPackage("ai.assay.worker.engine.ort..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.bytedeco..", "ai.onnxruntime..")
                .because("the JavaCPP binding and its memory traps stay in one package")
                .check(classes);
    }
}
