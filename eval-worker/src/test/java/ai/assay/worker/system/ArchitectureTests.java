package ai.assay.worker.system;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.testing.ProductionClasses;
import ai.assay.worker.engine.EngineReachingTheJudge;
import ai.assay.worker.judge.JudgeService;
import ai.assay.worker.queue.JobQueue;
import ai.assay.worker.smoke.RunnerReachingTheQueue;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

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
            .resideInAnyPackage("ai.assay.worker.smoke..", "ai.assay.worker.lmeval..", "ai.assay.worker.alpacaeval..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("ai.assay.worker.queue..", "ai.assay.worker.job..", "ai.assay.worker.results..")
            .because("task runners see jobs only through the task SPI, which fences every write by the lease");

    @ArchTest
    static final ArchRule theEngineKnowsNoJobs = noClasses()
            .that()
            .resideInAPackage("ai.assay.worker.engine..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "ai.assay.worker.job..",
                    "ai.assay.worker.queue..",
                    "ai.assay.worker.judge..",
                    "ai.assay.worker.results..",
                    "ai.assay.worker.task..")
            .because("the engine runs a model for whoever asks; jobs, leases and the judge are the callers' business");

    @ArchTest
    static final ArchRule onlyTheRuntimeTouchesNativeMemory = noClasses()
            .that()
            .resideOutsideOfPackage("ai.assay.worker.engine.runtime..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.bytedeco..", "ai.onnxruntime..")
            .because("the JavaCPP binding and its memory traps stay in one package");

    /** The task-SPI rule, shown failing on a test-only runner that claims jobs from the queue itself. */
    @Test
    void theTaskRuleRefusesARunnerThatReachesTheQueue() {
        JavaClasses offender = new ClassFileImporter().importClasses(RunnerReachingTheQueue.class);

        assertThatThrownBy(() -> tasksUseTheSpiNotTheQueue.check(offender))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(JobQueue.class.getName());
    }

    /** The engine rule, shown failing on a test-only engine class that reports to the judge. */
    @Test
    void theEngineRuleRefusesAnEngineClassThatReachesTheJudge() {
        JavaClasses offender = new ClassFileImporter().importClasses(EngineReachingTheJudge.class);

        assertThatThrownBy(() -> theEngineKnowsNoJobs.check(offender))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(JudgeService.class.getName());
    }
}
