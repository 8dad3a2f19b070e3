package ai.assay.worker.lmeval;

import ai.assay.core.datasets.DatasetResolver;
import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.evaluation.TaskPhase;
import ai.assay.core.lmeval.GenerationTasks;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.core.lmeval.LmEvalOptions;
import ai.assay.core.lmeval.LmEvalResults;
import ai.assay.core.lmeval.TaskDocs;
import ai.assay.core.results.NewSampleScore;
import ai.assay.core.results.StoredSampleScore;
import ai.assay.core.task.CodeExecutionProperties;
import ai.assay.reference.lmeval.ChatOptions;
import ai.assay.reference.lmeval.ChatPrompt;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.DocScoring;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.LogLikelihood;
import ai.assay.reference.lmeval.MetricResult;
import ai.assay.reference.lmeval.SampleRecords;
import ai.assay.reference.lmeval.ScoringArguments;
import ai.assay.reference.lmeval.TaskPrompts;
import ai.assay.reference.lmeval.code.CodeTasks;
import ai.assay.reference.lmeval.code.ProgramExecutionUnavailableException;
import ai.assay.reference.lmeval.code.ProgramExecutor;
import ai.assay.worker.engine.EngineWork;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringResult;
import ai.assay.worker.engine.ScoringSink;
import ai.assay.worker.outbound.SubmittedResources;
import ai.assay.worker.task.TaskContext;
import ai.assay.worker.task.TaskRunner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one lm-eval task or group: renders every request (as {@link TaskPrompts}), tokenizes them as lm-eval's HF
 * backend ({@link RequestEncoder}), scores them longest first in batches of whole documents, stores each document
 * as soon as all its choices are scored, and computes the metrics from the stored rows. Documents of
 * {@code generate_until} tasks are generated, or taken from responses made elsewhere, by a {@link GenerationPass}
 * and scored through their filters and metrics ({@link GenerationTasks}); the code tasks' programs run through the
 * injected {@link ProgramExecutor}, the worker's sandbox, and only where {@code assay.code-execution.enabled}. With {@code applyChatTemplate} every
 * context is lm-eval's chat messages rendered by the model's own template ({@link ModelChatTemplate}), and the
 * stored records keep the templated text. A resumed job skips stored
 * documents; the few-shot generator still walks every document in order, so the prompts are those of an
 * uninterrupted run.
 *
 * <p>Documents of a group are numbered across its tasks in order ({@code sample_score.doc_id}); each record keeps
 * its task and its own {@code doc_id}.
 */
public class LmEvalTaskRunner implements TaskRunner {

    private static final Logger log = LoggerFactory.getLogger(LmEvalTaskRunner.class);

    private final String name;
    private final LmEvalCatalog catalog;
    private final DatasetResolver datasets;
    private final SubmittedResources resources;
    private final JsonMapper mapper;
    private final CodeExecutionProperties codeExecution;
    private final ObjectProvider<ProgramExecutor> executors;
    private final Map<String, GenerationTasks.Scorer> scorers = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param codeExecution whether this deployment runs its models' code at all
     * @param executors     the sandbox that runs the code tasks' programs ({@code ai.assay.worker.sandbox}); a
     *                      worker without one still runs every other task, and fails a code task saying so
     */
    @Autowired
    public LmEvalTaskRunner(
            String name,
            LmEvalCatalog catalog,
            DatasetResolver datasets,
            SubmittedResources resources,
            JsonMapper mapper,
            CodeExecutionProperties codeExecution,
            ObjectProvider<ProgramExecutor> executors) {
        this.name = name;
        this.catalog = catalog;
        this.datasets = datasets;
        this.resources = resources;
        this.mapper = mapper;
        this.codeExecution = codeExecution;
        this.executors = executors;
    }

    /** A runner that runs no code: a code task fails as where code execution is not enabled. */
    public LmEvalTaskRunner(
            String name,
            LmEvalCatalog catalog,
            DatasetResolver datasets,
            SubmittedResources resources,
            JsonMapper mapper) {
        this(name, catalog, datasets, resources, mapper, CodeExecutionProperties.disabled(), null);
    }

    /**
     * The executor for the code tasks among {@code leaves}, checked before anything loads: code runs only where the
     * deployment enables it and a sandbox is there; otherwise the task fails saying which is missing, and nothing
     * runs.
     */
    private ProgramExecutor programExecutor(List<LmEvalTask> leaves) {
        List<String> coding = leaves.stream()
                .filter(leaf -> CodeTasks.runsCode(leaf.config()))
                .map(LmEvalTask::name)
                .toList();
        if (coding.isEmpty()) {
            return GenerationTasks.NO_EXECUTOR;
        }
        if (!codeExecution.enabled()) {
            throw new ProgramExecutionUnavailableException(("%s runs its model's code, and code execution is not"
                            + " enabled for this deployment's workers (assay.code-execution.enabled is false)")
                    .formatted(String.join(", ", coding)));
        }
        ProgramExecutor executor = executors == null ? null : executors.getIfAvailable();
        if (executor == null) {
            throw new ProgramExecutionUnavailableException(
                    "code execution is not available: this worker has no sandbox to run the programs of %s in"
                            .formatted(String.join(", ", coding)));
        }
        return executor;
    }

    @Override
    public String taskName() {
        return name;
    }

    /** A generation task given responses made elsewhere ({@code outputs}) loads no model. */
    @Override
    public boolean needsModel(ObjectNode options) {
        return !options.hasNonNull(LmEvalOptions.OUTPUTS);
    }

    /** One request of a document, encoded, with where its answer goes. */
    private record Pending(int globalDoc, int index, int[] context, int[] continuation, boolean truncated) {
        int length() {
            return context.length + continuation.length;
        }
    }

    /** A document being scored. */
    private static final class Open {
        final DocRequests doc;
        final LmEvalTask task;
        final LogLikelihood[] answers;
        final SampleRecords.TokenCounts[] tokens;
        int missing;

        Open(DocRequests doc, LmEvalTask task) {
            this.doc = doc;
            this.task = task;
            this.answers = new LogLikelihood[doc.arguments().size()];
            this.tokens = new SampleRecords.TokenCounts[doc.arguments().size()];
            this.missing = answers.length;
        }
    }

    @Override
    public void run(TaskContext context) {
        LmEvalOptions options = LmEvalOptions.of(context.options());
        ChatOptions chat = options.chat();
        if (chat.applyChatTemplate() && options.outputs() != null) {
            throw new IllegalArgumentException("applyChatTemplate needs the model's chat template, and responses made"
                    + " elsewhere (outputs) load no model; leave out applyChatTemplate to score them");
        }
        ChatPrompt.Renderer template = chat.applyChatTemplate() ? new ModelChatTemplate(name, context.model()) : null;
        List<LmEvalTask> leaves = catalog.leaves(name);
        ProgramExecutor executor = programExecutor(leaves);
        context.progress().phase(TaskPhase.LOADING, null, 0);

        List<DocRequests> all = new ArrayList<>();
        Map<Integer, LmEvalTask> taskOf = new HashMap<>();
        Map<String, Integer> originalCounts = new LinkedHashMap<>();
        ObjectNode datasetsUsed = JsonNodeFactory.instance.objectNode();
        for (LmEvalTask leaf : leaves) {
            int shots = TaskPrompts.effectiveShots(leaf.config(), options.numFewshot());
            TaskDocs docs = TaskDocs.load(leaf, shots, datasets);
            originalCounts.put(leaf.name(), docs.evalDocs().size());
            ObjectNode used = datasetsUsed.putObject(leaf.name());
            used.put("eval", docs.evalSource().split().toString())
                    .put("evalSha256", docs.evalSource().sha256());
            if (docs.fewshotSource() != null) {
                used.put("fewshot", docs.fewshotSource().split().toString())
                        .put("fewshotSha256", docs.fewshotSource().sha256());
            }
            List<DocRequests> requests = TaskPrompts.build(
                    leaf,
                    docs.evalDocs(),
                    docs.fewshotDocs(),
                    options.numFewshot(),
                    options.fewshotSeed(),
                    options.limit(),
                    chat,
                    template);
            for (DocRequests doc : requests) {
                taskOf.put(all.size(), leaf);
                all.add(doc);
            }
            context.checkStop();
        }

        Map<Integer, StoredSampleScore> stored = context.store().sampleScores();
        Map<Integer, Open> open = new HashMap<>();
        Map<Integer, DocRequests> openGenerations = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            if (stored.containsKey(i)) {
                continue;
            }
            if (all.get(i).generative()) {
                openGenerations.put(i, all.get(i));
            } else {
                open.put(i, new Open(all.get(i), taskOf.get(i)));
            }
        }
        if (options.outputs() != null && !openGenerations.isEmpty()) {
            ProvidedResponses provided = providedResponses(options, leaves, originalCounts);
            context.progress().phase(TaskPhase.SCORING, all.size(), all.size() - openGenerations.size());
            new GenerationPass(name, context, options, scorer(executor)).scoreProvided(openGenerations, provided);
        } else if (!openGenerations.isEmpty()) {
            context.progress().phase(TaskPhase.GENERATING, all.size(), all.size() - openGenerations.size());
            new GenerationPass(name, context, options, scorer(executor)).generate(openGenerations);
        }
        if (!open.isEmpty()) {
            context.progress().phase(TaskPhase.SCORING, all.size(), all.size() - open.size());
            score(context, options, open);
        }
        finish(context, options, originalCounts, datasetsUsed);
    }

    private void score(TaskContext context, LmEvalOptions options, Map<Integer, Open> open) {
        LanguageModel model = context.model();
        int maxLength =
                options.maxLength() != null ? options.maxLength() : model.info().maxLength();
        RequestEncoder encoder = new RequestEncoder(model.tokenizer(), model.info(), options.addBosToken(), maxLength);
        List<List<Pending>> documents = new ArrayList<>();
        List<Integer> order = new ArrayList<>(open.keySet());
        order.sort(Comparator.naturalOrder());
        for (int globalDoc : order) {
            Open doc = open.get(globalDoc);
            List<ScoringArguments> arguments = doc.doc.arguments();
            List<Pending> requests = new ArrayList<>(arguments.size());
            for (int i = 0; i < arguments.size(); i++) {
                RequestEncoder.Encoded encoded = encoder.encode(
                        arguments.get(i).context(), arguments.get(i).continuation());
                requests.add(new Pending(globalDoc, i, encoded.context(), encoded.continuation(), encoded.truncated()));
            }
            if (!requests.isEmpty()) {
                requests.sort(LmEvalTaskRunner::compareLongestFirst);
                documents.add(requests);
            }
        }
        // lm-eval's order, longest first, but a document's requests stay together: the engine scores the context
        // that a document's choices share once when they arrive in one call.
        documents.sort((a, b) -> compareLongestFirst(a.get(0), b.get(0)));
        long truncated = documents.stream()
                .flatMap(List::stream)
                .filter(Pending::truncated)
                .count();
        if (truncated > 0) {
            log.warn(
                    "{}: {} requests were longer than {} tokens and lost the start of their context",
                    name,
                    truncated,
                    maxLength + 1);
        }

        EngineWork work = EngineWork.start(model);
        long requestCount = documents.stream().mapToLong(List::size).sum();
        for (List<Pending> batch : batches(documents, options.batchSize())) {
            context.checkStop();
            Map<String, Pending> byId = new HashMap<>();
            List<ScoringRequest> requests = new ArrayList<>(batch.size());
            int promptTokens = 0;
            for (Pending p : batch) {
                String id = p.globalDoc() + ":" + p.index();
                byId.put(id, p);
                requests.add(new ScoringRequest(id, p.context(), p.continuation()));
                promptTokens += p.length();
            }
            List<NewSampleScore> finished = new ArrayList<>();
            model.loglikelihood(requests, new ScoringSink() {
                @Override
                public void accept(ScoringResult result) {
                    Pending p = byId.remove(result.id());
                    if (p == null) {
                        throw new IllegalStateException("the engine answered an unknown request " + result.id());
                    }
                    Open doc = open.get(p.globalDoc());
                    doc.answers[p.index()] = new LogLikelihood(result.logLikelihood(), result.greedy());
                    doc.tokens[p.index()] =
                            new SampleRecords.TokenCounts(p.context().length, p.continuation().length, p.truncated());
                    if (--doc.missing == 0) {
                        finished.add(sampleOf(p.globalDoc(), doc));
                        open.remove(p.globalDoc());
                    }
                }

                @Override
                public boolean shouldStop() {
                    return context.stopRequested();
                }
            });
            context.checkStop();
            if (!byId.isEmpty()) {
                throw new IllegalStateException(
                        "the engine left %d of %d requests unanswered".formatted(byId.size(), requests.size()));
            }
            if (!finished.isEmpty()) {
                context.store().saveSampleScores(finished);
                context.progress().advance(finished.size());
            }
            context.progress().tokens(promptTokens, 0);
        }
        log.info("{}: scored {} requests in {}", name, requestCount, work.report());
    }

    /**
     * Whole documents, in order, up to {@code batchSize} requests a batch; a document with more requests than that
     * is a batch of its own.
     */
    private static List<List<Pending>> batches(List<List<Pending>> documents, int batchSize) {
        List<List<Pending>> batches = new ArrayList<>();
        List<Pending> batch = new ArrayList<>();
        for (List<Pending> document : documents) {
            if (!batch.isEmpty() && batch.size() + document.size() > batchSize) {
                batches.add(batch);
                batch = new ArrayList<>();
            }
            batch.addAll(document);
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    private static NewSampleScore sampleOf(int globalDoc, Open doc) {
        List<LogLikelihood> answers = List.of(doc.answers);
        Map<String, Double> metrics = DocScoring.score(doc.task, doc.doc.doc(), answers);
        return new NewSampleScore(
                globalDoc, SampleRecords.record(doc.doc, answers, List.of(doc.tokens)), SampleRecords.scores(metrics));
    }

    /**
     * The responses made elsewhere, checked against the documents: a record for a task this run does not hold, or
     * for a document past the end of its task, is refused before anything is scored.
     */
    private ProvidedResponses providedResponses(
            LmEvalOptions options, List<LmEvalTask> leaves, Map<String, Integer> originalCounts) {
        ProvidedResponses provided = ProvidedResponses.read(
                options.outputs(),
                resources,
                mapper,
                leaves.size() == 1 ? leaves.get(0).name() : null);
        List<String> known = leaves.stream().map(LmEvalTask::name).toList();
        for (String task : provided.tasks()) {
            if (!known.contains(task)) {
                throw new IllegalArgumentException(
                        "the responses answer the task %s, which %s does not hold".formatted(task, name));
            }
            List<Integer> unknown = provided.unknownDocuments(task, originalCounts.get(task));
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("the responses answer documents %s of %s, which has %d (0 to %d)"
                        .formatted(
                                unknown.size() > 5 ? unknown.subList(0, 5) + "..." : unknown,
                                task,
                                originalCounts.get(task),
                                originalCounts.get(task) - 1));
            }
        }
        return provided;
    }

    private GenerationPass.GenerationScorer scorer(ProgramExecutor executor) {
        return (globalDoc, doc, responses, tokens) -> scoreGenerated(globalDoc, doc, responses, tokens, executor);
    }

    /**
     * A generation document's stored row: its responses, each filter's result and the metrics under it; for a code
     * task also {@code programs}, per filter every program with how it ended (its outcome, exit code and cut
     * output), which lm-eval's samples file does not have and the export leaves out.
     */
    private NewSampleScore scoreGenerated(
            int globalDoc,
            DocRequests doc,
            List<String> responses,
            SampleRecords.GenerationTokens tokens,
            ProgramExecutor executor) {
        LmEvalTask task =
                catalog.task(doc.task()).orElseThrow(() -> new IllegalStateException("no task " + doc.task()));
        GenerationTasks.Scorer scorer = CodeTasks.runsCode(task.config())
                ? GenerationTasks.scorer(task, executor) // bound to this run's executor; cheap to build
                : scorers.computeIfAbsent(task.name(), n -> GenerationTasks.scorer(task));
        GenerationTasks.ScoredDocument score = scorer.score(doc.doc(), task.docToTarget(doc.doc()), responses);
        ObjectNode record = SampleRecords.generationRecord(doc, responses, score.filtered(), tokens);
        if (!score.details().isEmpty()) {
            record.set("metrics", mapper.valueToTree(score.details())); // process_results' own values (IFEval's lists)
        }
        if (!score.programs().isEmpty()) {
            record.set("programs", mapper.valueToTree(score.programs()));
        }
        return new NewSampleScore(globalDoc, record, SampleRecords.scores(score.scores()));
    }

    private void finish(
            TaskContext context, LmEvalOptions options, Map<String, Integer> originalCounts, ObjectNode datasetsUsed) {
        Map<String, List<Map<String, Double>>> scores =
                scoresByTask(context.store().sampleScores().values());
        LmEvalResults results = new LmEvalResults(catalog, name, options, scores);
        List<MetricValue> metrics = new ArrayList<>();
        for (MetricResult m : results.headline()) {
            metrics.add(new MetricValue(m.metric(), m.filter(), m.value(), m.stderr(), m.n()));
        }
        context.store().saveMetrics(metrics);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        ObjectNode lmEval = result.putObject("lmEval");
        ObjectNode counts = lmEval.putObject("originalCounts");
        originalCounts.forEach(counts::put);
        lmEval.set("datasets", datasetsUsed);
        if (options.applyChatTemplate() && context.model() != null) {
            // results.json's chat_template: the template the prompts were rendered with
            context.model().chatTemplateText().ifPresent(template -> lmEval.put("chatTemplate", template));
        }
        context.store().saveResult(result);
    }

    /** The stored scores of each leaf task, in document order. */
    static Map<String, List<Map<String, Double>>> scoresByTask(Iterable<StoredSampleScore> stored) {
        Map<String, List<StoredSampleScore>> byTask = new LinkedHashMap<>();
        for (StoredSampleScore score : stored) {
            byTask.computeIfAbsent(score.record().get("task").stringValue(), k -> new ArrayList<>())
                    .add(score);
        }
        Map<String, List<Map<String, Double>>> scores = new LinkedHashMap<>();
        byTask.forEach((task, rows) -> {
            rows.sort(Comparator.comparingInt(s -> s.record().get("doc_id").intValue()));
            List<Map<String, Double>> values = new ArrayList<>();
            for (StoredSampleScore row : rows) {
                Map<String, Double> metrics = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : row.scores().properties()) {
                    metrics.put(e.getKey(), e.getValue().doubleValue());
                }
                values.add(metrics);
            }
            scores.put(task, values);
        });
        return scores;
    }

    private static int compareLongestFirst(Pending a, Pending b) {
        int byLength = Integer.compare(b.length(), a.length());
        if (byLength != 0) {
            return byLength;
        }
        int n = a.length();
        for (int i = 0; i < n; i++) {
            int x = i < a.context().length ? a.context()[i] : a.continuation()[i - a.context().length];
            int y = i < b.context().length ? b.context()[i] : b.continuation()[i - b.context().length];
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }
}
