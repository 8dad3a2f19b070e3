package ai.assay.core;

import ai.assay.core.alpacaeval.AlpacaEvalTaskCatalog;
import ai.assay.core.alpacaeval.data.AlpacaEvalData;
import ai.assay.core.alpacaeval.data.AlpacaEvalProperties;
import ai.assay.core.callback.CallbackOutbox;
import ai.assay.core.datasets.DatasetProperties;
import ai.assay.core.datasets.DatasetResolver;
import ai.assay.core.datasets.HubRepositoryFiles;
import ai.assay.core.evaluation.EvaluationEndings;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.json.JsonColumns;
import ai.assay.core.leaderboard.ComparisonBuilder;
import ai.assay.core.leaderboard.LeaderboardAggregator;
import ai.assay.core.leaderboard.LeaderboardBuilder;
import ai.assay.core.leaderboard.LeaderboardStore;
import ai.assay.core.leaderboard.LengthControlModel;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.core.lmeval.taskfiles.LmEvalTaskFiles;
import ai.assay.core.lmeval.taskfiles.LmEvalTaskFilesProperties;
import ai.assay.core.outbound.FileRoots;
import ai.assay.core.outbound.HostResolver;
import ai.assay.core.outbound.ModelRootsProperties;
import ai.assay.core.outbound.OutboundGuard;
import ai.assay.core.outbound.OutboundProperties;
import ai.assay.core.results.TaskResultRepository;
import ai.assay.core.smoke.SmokeTaskCatalog;
import ai.assay.core.task.CodeExecutionProperties;
import ai.assay.core.task.TaskRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Everything in eval-core that both services use: import it from a service's application class. The list is
 * explicit, not a package scan, so a class in eval-core becomes a bean only when it is added here on purpose.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
    DatasetProperties.class,
    AlpacaEvalProperties.class,
    LmEvalTaskFilesProperties.class,
    OutboundProperties.class,
    ModelRootsProperties.class,
    CodeExecutionProperties.class
})
@Import({
    JsonColumns.class,
    // evaluations, their results and the callbacks they owe
    EvaluationRepository.class,
    EvaluationEndings.class,
    TaskResultRepository.class,
    CallbackOutbox.class,
    // the task families and the registry over them
    TaskRegistry.class,
    SmokeTaskCatalog.class,
    LmEvalCatalog.class,
    AlpacaEvalTaskCatalog.class,
    // what the tasks read
    DatasetResolver.class,
    HubRepositoryFiles.class,
    AlpacaEvalData.class,
    LmEvalTaskFiles.class,
    // leaderboards and comparisons
    LengthControlModel.class,
    LeaderboardStore.class,
    LeaderboardAggregator.class,
    LeaderboardBuilder.class,
    ComparisonBuilder.class
})
public class EvalCoreConfiguration {

    /** The system resolver; a test that needs a name to resolve somewhere declares a {@code @Primary} one. */
    @Bean
    HostResolver systemHostResolver() {
        return HostResolver.SYSTEM;
    }

    /** What may be called on a submitter's behalf (callbacks, outputs URLs). */
    @Bean
    OutboundGuard outboundGuard(OutboundProperties properties, HostResolver resolver) {
        return new OutboundGuard(properties, resolver);
    }

    /** What files may be opened on a submitter's behalf (models, outputs files). */
    @Bean
    FileRoots fileRoots(ModelRootsProperties properties) {
        return new FileRoots(properties);
    }
}
