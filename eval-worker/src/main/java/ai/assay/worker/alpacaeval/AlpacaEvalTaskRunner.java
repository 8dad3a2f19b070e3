package ai.assay.worker.alpacaeval;

import ai.assay.core.alpacaeval.AlpacaEvalTaskCatalog;
import ai.assay.core.alpacaeval.data.AlpacaEvalData;
import ai.assay.core.alpacaeval.data.EvalSetEntry;
import ai.assay.core.alpacaeval.metrics.AlpacaEvalMetricValues;
import ai.assay.core.evaluation.TaskPhase;
import ai.assay.core.results.NewGeneration;
import ai.assay.core.results.NewJudgment;
import ai.assay.core.results.StoredGeneration;
import ai.assay.core.results.StoredJudgment;
import ai.assay.reference.alpacaeval.HeadToHeadAnnotation;
import ai.assay.reference.alpacaeval.metrics.AlpacaEvalMetrics;
import ai.assay.reference.alpacaeval.metrics.AlpacaEvalScores;
import ai.assay.reference.alpacaeval.metrics.LengthControlledWinRate;
import ai.assay.worker.engine.EngineWork;
import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationResult;
import ai.assay.worker.engine.GenerationSink;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.SamplingParams;
import ai.assay.worker.judge.JudgeBudget;
import ai.assay.worker.judge.JudgeItem;
import ai.assay.worker.judge.JudgeService;
import ai.assay.worker.judge.JudgeSummary;
import ai.assay.worker.task.TaskContext;
import ai.assay.worker.task.TaskRunner;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code alpaca_eval} task, in three checkpointed phases: the model answers each instruction (or the answers
 * come with the task), the judge compares each answer with the reference, and the metrics are computed from what
 * is stored, so a resumed run ends as an uninterrupted one would. A judge answer that cannot be parsed is asked
 * again within the run ({@link JudgeService}); what still has no preference after that counts in no win rate, as in
 * alpaca_eval, and is reported rather than dropped silently: the metric {@code n_missing} and a line in the
 * result's {@code warnings}, which {@code GET /evaluations/{id}} shows. The next run asks the judge again for those.
 */
@Component
class AlpacaEvalTaskRunner implements TaskRunner {

    private static final Logger log = LoggerFactory.getLogger(AlpacaEvalTaskRunner.class);
    private static final int CHECKPOINT_EVERY = 16;
    private static final int EXAMPLES_NAMED = 10;

    private final AlpacaEvalData data;
    private final ModelOutputsReader outputsReader;
    private final JudgeService judges;

    AlpacaEvalTaskRunner(AlpacaEvalData data, ModelOutputsReader outputsReader, JudgeService judges) {
        this.data = data;
        this.outputsReader = outputsReader;
        this.judges = judges;
    }

    @Override
    public String taskName() {
        return AlpacaEvalTaskCatalog.NAME;
    }

    @Override
    public boolean needsModel(ObjectNode options) {
        return !options.has("outputs");
    }

    @Override
    public void run(TaskContext context) {
        ObjectNode options = context.options();
        List<EvalSetEntry> reference = reference(options);
        ObjectNode result = context.options().objectNode();
        result.put("instructions", reference.size());

        Map<String, StoredGeneration> generations = options.has("outputs")
                ? provideOutputs(context, reference, result)
                : generate(context, reference, options);
        Map<String, StoredJudgment> judgments = judge(context, reference, generations, options, result);
        score(context, reference, generations, judgments, result);
    }

    /** The eval set (or the given reference answers), cut to {@code limit}, in eval-set order. */
    private List<EvalSetEntry> reference(ObjectNode options) {
        List<EvalSetEntry> entries = options.has("referenceOutputs")
                ? indexed(outputsReader.read(options.get("referenceOutputs")))
                : data.evalSet();
        int limit = options.get("limit").intValue();
        return entries.subList(0, Math.min(limit, entries.size()));
    }

    private static List<EvalSetEntry> indexed(List<ProvidedOutput> outputs) {
        List<EvalSetEntry> entries = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            ProvidedOutput output = outputs.get(i);
            entries.add(new EvalSetEntry(
                    i,
                    output.instruction(),
                    output.output(),
                    output.generator() == null ? "reference" : output.generator(),
                    output.dataset()));
        }
        return entries;
    }

    private Map<String, StoredGeneration> provideOutputs(
            TaskContext context, List<EvalSetEntry> reference, ObjectNode result) {
        OutputJoin join =
                OutputJoin.of(reference, outputsReader.read(context.options().get("outputs")));
        result.set("outputsJoin", join.report());
        Map<String, StoredGeneration> stored = context.store().generations();
        List<NewGeneration> fresh = new ArrayList<>();
        for (EvalSetEntry entry : reference) {
            String id = Integer.toString(entry.index());
            String output = join.outputsByIndex().get(entry.index());
            if (output != null && !stored.containsKey(id)) {
                fresh.add(new NewGeneration(id, entry.instruction(), output, null, null, "provided", null));
            }
        }
        context.store().saveGenerations(fresh);
        context.store().saveResult(result);
        return context.store().generations();
    }

    private Map<String, StoredGeneration> generate(
            TaskContext context, List<EvalSetEntry> reference, ObjectNode options) {
        Map<String, StoredGeneration> stored = context.store().generations();
        List<EvalSetEntry> pending = reference.stream()
                .filter(entry -> !stored.containsKey(Integer.toString(entry.index())))
                .toList();
        context.progress().phase(TaskPhase.LOADING, null, 0);
        LanguageModel model = context.model();
        context.progress().phase(TaskPhase.GENERATING, reference.size(), reference.size() - pending.size());
        if (!pending.isEmpty()) {
            JsonNode generation = options.get("generation");
            SamplingParams sampling = new SamplingParams(
                    generation.get("temperature").doubleValue(),
                    generation.get("topP").doubleValue(),
                    generation.get("topK").intValue(),
                    generation.get("maxNewTokens").intValue(),
                    generation.get("seed").longValue(),
                    AlpacaEvalPrompts.stopStrings(model));
            Map<String, String> instructions = new LinkedHashMap<>();
            List<GenerationRequest> requests = new ArrayList<>();
            for (EvalSetEntry entry : pending) {
                String id = Integer.toString(entry.index());
                instructions.put(id, entry.instruction());
                requests.add(new GenerationRequest(
                        id,
                        AlpacaEvalPrompts.tokenize(model, AlpacaEvalPrompts.render(model, entry.instruction())),
                        sampling));
            }
            Checkpoint checkpoint = new Checkpoint(context, instructions);
            EngineWork work = EngineWork.start(model);
            model.generate(requests, checkpoint);
            checkpoint.flush();
            log.info("{}: generation for {} prompts took {}", taskName(), requests.size(), work.report());
            context.checkStop();
        }
        return context.store().generations();
    }

    private Map<String, StoredJudgment> judge(
            TaskContext context,
            List<EvalSetEntry> reference,
            Map<String, StoredGeneration> generations,
            ObjectNode options,
            ObjectNode result) {
        String annotator = options.get("annotator").stringValue();
        Map<String, StoredJudgment> stored = context.store().judgments(annotator);
        List<JudgeItem> pending = new ArrayList<>();
        for (EvalSetEntry entry : reference) {
            String id = Integer.toString(entry.index());
            StoredGeneration generation = generations.get(id);
            StoredJudgment judgment = stored.get(id);
            if (generation != null && (judgment == null || judgment.preference() == null)) {
                pending.add(new JudgeItem(
                        id,
                        entry.instruction(),
                        entry.output(),
                        entry.generator(),
                        generation.output(),
                        context.modelRef().name()));
            }
        }
        int judged = (int)
                stored.values().stream().filter(j -> j.preference() != null).count();
        context.progress().phase(TaskPhase.JUDGING, generations.size(), judged);
        if (!pending.isEmpty()) {
            JudgeBudget budget = budget(options.get("budget"), stored.values());
            List<NewJudgment> batch = new ArrayList<>();
            try {
                JudgeSummary summary = judges.judge(
                        annotator,
                        pending,
                        budget,
                        judgment -> {
                            batch.add(judgment.toNewJudgment());
                            if (!judgment.failed()) {
                                context.progress().advance(1);
                            }
                            if (batch.size() >= CHECKPOINT_EVERY) {
                                context.store().saveJudgments(List.copyOf(batch));
                                batch.clear();
                            }
                        },
                        context::checkStop);
                result.set("judge", summaryOf(summary));
            } finally {
                context.store().saveJudgments(batch);
            }
        }
        return context.store().judgments(annotator);
    }

    /** The budget that remains after what the stored judgments already spent (cache hits cost nothing). */
    private static JudgeBudget budget(JsonNode option, Iterable<StoredJudgment> stored) {
        JudgeBudget budget = new JudgeBudget(
                option != null && option.has("maxTokens")
                        ? option.get("maxTokens").longValue()
                        : null,
                option != null && option.has("maxCostUsd")
                        ? option.get("maxCostUsd").decimalValue()
                        : null);
        long tokens = 0;
        BigDecimal cost = BigDecimal.ZERO;
        for (StoredJudgment judgment : stored) {
            if (!judgment.cacheHit()) {
                tokens += (judgment.promptTokens() == null ? 0 : judgment.promptTokens())
                        + (judgment.completionTokens() == null ? 0 : judgment.completionTokens());
                cost = cost.add(judgment.costUsd() == null ? BigDecimal.ZERO : judgment.costUsd());
            }
        }
        return budget.remainingAfter(tokens, cost);
    }

    private void score(
            TaskContext context,
            List<EvalSetEntry> reference,
            Map<String, StoredGeneration> generations,
            Map<String, StoredJudgment> judgments,
            ObjectNode result) {
        context.progress().phase(TaskPhase.SCORING, 1, 0);
        List<HeadToHeadAnnotation> annotations = new ArrayList<>();
        List<String> modelOutputs = new ArrayList<>();
        List<String> unparsable = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (EvalSetEntry entry : reference) {
            String id = Integer.toString(entry.index());
            StoredGeneration generation = generations.get(id);
            if (generation != null) {
                modelOutputs.add(generation.output());
            }
            StoredJudgment judgment = judgments.get(id);
            if (judgment != null) {
                if (judgment.preference() == null) {
                    (isRefusal(judgment) ? refused : unparsable).add(id);
                }
                annotations.add(new HeadToHeadAnnotation(
                        judgment.instruction(),
                        judgment.output1(),
                        judgment.generator1(),
                        judgment.output2(),
                        judgment.generator2(),
                        judgment.preference(),
                        judgment.rawCompletion()));
            }
        }
        int missing = unparsable.size() + refused.size();
        if (annotations.size() == missing) {
            throw new IllegalStateException(("none of the %d judgments could be parsed, so there is nothing to score;"
                            + " the judge is asked again when the evaluation runs again")
                    .formatted(annotations.size()));
        }
        AlpacaEvalScores scores = new AlpacaEvalMetrics(
                        new LengthControlledWinRate(data.lengthControlData().gamedBaseline()))
                .score(annotations, modelOutputs);
        context.store().saveMetrics(AlpacaEvalMetricValues.of(scores, missing));
        ObjectNode report = AlpacaEvalMetricValues.glmResult(scores);
        report.setAll(result);
        report.put("unparsedJudgments", unparsable.size());
        ArrayNode warnings = report.putArray("warnings");
        if (missing > 0) {
            String warning = missingWarning(annotations.size(), unparsable, refused);
            warnings.add(warning);
            log.warn("{}: {}", taskName(), warning);
        }
        context.store().saveResult(report);
        context.progress().advance(1);
    }

    /** A request the judge refused is stored with {@code {"error": ...}} as its raw completion. */
    private static boolean isRefusal(StoredJudgment judgment) {
        JsonNode raw = judgment.rawCompletion();
        return raw != null && raw.has("error");
    }

    private String missingWarning(int judged, List<String> unparsable, List<String> refused) {
        List<String> causes = new ArrayList<>();
        if (!unparsable.isEmpty()) {
            causes.add(unparsable.size() + " judge answer" + (unparsable.size() == 1 ? "" : "s")
                    + " could not be parsed after " + judges.unparsableReasks() + " re-ask"
                    + (judges.unparsableReasks() == 1 ? "" : "s"));
        }
        if (!refused.isEmpty()) {
            causes.add(refused.size() + " judge request" + (refused.size() == 1 ? " was" : "s were") + " refused");
        }
        List<String> ids = new ArrayList<>(unparsable);
        ids.addAll(refused);
        ids.sort(java.util.Comparator.comparingInt(Integer::parseInt));
        String named = String.join(", ", ids.subList(0, Math.min(EXAMPLES_NAMED, ids.size())))
                + (ids.size() > EXAMPLES_NAMED ? ", ..." : "");
        return ("n_missing = %d: %d of %d judged examples have no preference and count in no win rate (%s;"
                        + " examples %s); running the evaluation again asks the judge again for them")
                .formatted(ids.size(), ids.size(), judged, String.join(", ", causes), named);
    }

    private static ObjectNode summaryOf(JudgeSummary summary) {
        ObjectNode node = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        node.put("judged", summary.judged());
        node.put("failed", summary.failed());
        node.put("cacheHits", summary.cacheHits());
        node.put("calls", summary.calls());
        node.put("reasks", summary.reasks());
        node.put("tokens", summary.tokens());
        node.put("costUsd", summary.costUsd());
        return node;
    }

    /** Stores generated answers as they finish, in small batches. */
    private static final class Checkpoint implements GenerationSink {

        private final TaskContext context;
        private final Map<String, String> instructions;
        private final List<NewGeneration> batch = new ArrayList<>();

        Checkpoint(TaskContext context, Map<String, String> instructions) {
            this.context = context;
            this.instructions = instructions;
        }

        @Override
        public void accept(GenerationResult result) {
            batch.add(new NewGeneration(
                    result.id(),
                    instructions.get(result.id()),
                    AlpacaEvalPrompts.answer(result.text()),
                    result.promptTokens(),
                    result.outputTokens(),
                    result.finishReason().name().toLowerCase(java.util.Locale.ROOT),
                    (int) result.latencyMillis()));
            context.progress().tokens(result.promptTokens(), result.outputTokens());
            if (batch.size() >= CHECKPOINT_EVERY) {
                flush();
            }
        }

        @Override
        public boolean shouldStop() {
            return context.stopRequested();
        }

        void flush() {
            if (!batch.isEmpty()) {
                context.store().saveGenerations(List.copyOf(batch));
                context.progress().advance(batch.size());
                batch.clear();
            }
        }
    }
}
