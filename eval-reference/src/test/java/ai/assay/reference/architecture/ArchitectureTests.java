package ai.assay.reference.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.testing.ProductionClasses;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

@AnalyzeClasses(packages = "ai.assay.reference", importOptions = ProductionClasses.class)
class ArchitectureTests {

    @ArchTest
    static final ArchRule theReferenceIsPure = noClasses()
            .that()
            .resideInAPackage("ai.assay.reference..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework..",
                    "java.sql..",
                    "javax.sql..",
                    "java.net..",
                    "com.openai..",
                    "okhttp3..",
                    "org.apache.hc..",
                    "ai.assay.core..",
                    "ai.assay.worker..",
                    "ai.assay.api..")
            .because("what the numbers mean must be readable and testable without a framework, a database or a"
                    + " network");

    @ArchTest
    static final ArchRule semanticsHaveNoCycles = slices().matching("ai.assay.reference.(*)..")
            .should()
            .beFreeOfCycles()
            .because("each upstream tool's reproduction must be readable without the ones that use it");

    /** The rule above, shown failing on classes that break it (they live among the tests, out of its import). */
    @Test
    void theRuleRefusesAReferenceClassThatReachesJdbcOrHttp() {
        JavaClasses offenders =
                new ClassFileImporter().importClasses(Offenders.ReadsADatabase.class, Offenders.CallsAServer.class);

        assertThatThrownBy(() -> theReferenceIsPure.check(offenders))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("java.sql.DriverManager")
                .hasMessageContaining("java.net.http.HttpClient");
    }

    @Test
    void theRuleAcceptsAPureReferenceClass() {
        theReferenceIsPure.check(new ClassFileImporter().importClasses(Offenders.Pure.class));
    }

    static final class Offenders {

        static final class ReadsADatabase {
            Object open() throws java.sql.SQLException {
                return java.sql.DriverManager.getConnection("jdbc:postgresql://localhost/none");
            }
        }

        static final class CallsAServer {
            Object client() {
                return java.net.http.HttpClient.newHttpClient();
            }
        }

        static final class Pure {
            int twice(int x) {
                return 2 * x;
            }
        }
    }
}
