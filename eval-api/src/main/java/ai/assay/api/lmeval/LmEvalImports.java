package ai.assay.api.lmeval;

import ai.assay.api.problem.InvalidRequestException;
import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.core.datasets.DatasetResolver;
import ai.assay.core.evaluation.EvaluationEndings;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.evaluation.ModelRef;
import ai.assay.core.evaluation.NewEvaluation;
import ai.assay.core.leaderboard.LeaderboardStore;
import ai.assay.core.lmeval.GenerationTasks;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.core.lmeval.LmEvalOptions;
import ai.assay.core.lmeval.LmEvalResults;
import ai.assay.core.lmeval.TaskDocs;
import ai.assay.core.results.NewSampleScore;
import ai.assay.core.results.TaskResultRepository;
import ai.assay.core.task.ResolvedTask;
import ai.assay.core.validation.JsonPointers;
import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.DocScoring;
import ai.assay.reference.lmeval.GenerationRequest;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.LogLikelihood;
import ai.assay.reference.lmeval.MetricResult;
import ai.assay.reference.lmeval.SampleRecords;
import ai.assay.reference.lmeval.ScoringArguments;
import ai.assay.reference.lmeval.TaskPrompts;
import ai.assay.reference.lmeval.code.CodeTasks;
import ai.assay.reference.python.PyJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns lm-eval's {@code results_*.json} and {@code samples_<task>.jsonl} files into a finished evaluation that
 * Assay treats like one of its own runs, all in one transaction, or refuses it whole.
 *
 * <p>Nothing is taken on trust: every document is looked up in Assay's own copy of the task's split (its
 * {@code doc_hash} must be that of Assay's row), its responses are scored again as Assay scores a run (the
 * log-likelihoods through {@link DocScoring}, the generated text through the task's filters and metrics,
 * {@link GenerationTasks}), and the per-document values lm-eval wrote must be those; the aggregates are then
 * computed from these scores by {@link LmEvalResults}, as for a run, and must equal those of the results.json up
 * to float printing (a relative difference of at most 1e-9; a stderr is compared where the file has a number, as
 * {@code --bootstrap_iters 0} writes {@code "N/A"}). So an import that Assay would have scored differently, from
 * another task version, dataset revision or scorer, never reaches the leaderboard.
 *
 * <p>Stored as a run stores: one evaluation task per top-level task or group of the results.json (the roots of
 * its {@code group_subtasks}), a {@code sample_score} row per document (documents of a group numbered across its
 * tasks in order), with the record of {@link SampleRecords#record} or {@link SampleRecords#generationRecord}
 * holding the prompts as lm-eval rendered them (they may have had a chat template), and the headline metrics as
 * metric values.
 */
@Service
class LmEvalImports {

    /** Imported evaluations name no model directory: nothing was run here. */
    static final String IMPORTED_MODEL_URI = "import:lm-eval";

    private static final double TOLERANCE = 1e-9;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final EvaluationRepository evaluations;
    private final TaskResultRepository results;
    private final EvaluationEndings endings;
    private final LeaderboardStore leaderboard;
    private final LmEvalCatalog catalog;
    private final DatasetResolver datasets;

    LmEvalImports(
            EvaluationRepository evaluations,
            TaskResultRepository results,
            EvaluationEndings endings,
            LeaderboardStore leaderboard,
            LmEvalCatalog catalog,
            DatasetResolver datasets) {
        this.evaluations = evaluations;
        this.results = results;
        this.endings = endings;
        this.leaderboard = leaderboard;
        this.catalog = catalog;
        this.datasets = datasets;
    }

    /** One checked top-level task: what its evaluation task stores. */
    private record CheckedTask(
            String name,
            ObjectNode options,
            List<NewSampleScore> samples,
            List<MetricResult> headline,
            ObjectNode result) {}

    /**
     * @throws InvalidRequestException naming every mismatch found, before anything is stored
     * @throws ai.assay.core.datasets.DatasetUnavailableException when a task's split cannot be had
     */
    @Transactional
    UUID store(LmEvalImport imported, UUID submittedBy) {
        List<CheckedTask> tasks = check(imported);
        evaluations.lockModelName(imported.model());
        if (!imported.replace()) {
            leaderboard.latestEvaluation(imported.model(), null).ifPresent(existing -> {
                throw new ProblemException(
                        ProblemKind.MODEL_HAS_RESULTS,
                        ("the model '%s' already has leaderboard results (evaluation %s); an import would take their"
                                        + " place. Import under another name, or send \"replace\": true with an admin"
                                        + " token")
                                .formatted(imported.model(), existing),
                        Map.of("evaluationId", existing));
            });
        }
        ObjectNode spec = F.objectNode().put("import", "lm-eval").put("model", imported.model());
        ObjectNode source = spec.putObject("source");
        for (String field : List.of(
                "lm_eval_version",
                "git_hash",
                "date",
                "model_name",
                "model_source",
                "chat_template_sha",
                "system_instruction_sha",
                "fewshot_as_multiturn",
                "task_hashes",
                "config")) {
            if (imported.results().has(field)) {
                source.set(field, imported.results().get(field));
            }
        }
        var tasksSpec = spec.putArray("tasks");
        tasks.forEach(t -> tasksSpec.add(t.name()));
        UUID id = evaluations.insertSucceeded(
                new NewEvaluation(
                        new ModelRef(imported.model(), IMPORTED_MODEL_URI, imported.revision(), null),
                        tasks.stream()
                                .map(t -> new ResolvedTask(t.name(), t.options()))
                                .toList(),
                        imported.labels(),
                        0,
                        null,
                        1,
                        spec),
                submittedBy);
        var stored = evaluations.findById(id).orElseThrow().tasks();
        for (int i = 0; i < tasks.size(); i++) {
            CheckedTask task = tasks.get(i);
            long taskId = stored.get(i).id();
            results.insertSampleScores(taskId, 0, task.samples());
            results.replaceMetrics(
                    taskId,
                    task.headline().stream()
                            .map(m -> new MetricValue(m.metric(), m.filter(), m.value(), m.stderr(), m.n()))
                            .toList());
            results.saveResult(taskId, task.result());
        }
        endings.ended(id);
        return id;
    }

    private List<CheckedTask> check(LmEvalImport imported) {
        ObjectNode file = imported.results();
        List<Violation> violations = new ArrayList<>();
        List<String> roots = roots(file.get("group_subtasks"));
        List<CheckedTask> checked = new ArrayList<>();
        Set<String> leavesImported = new LinkedHashSet<>();
        for (String root : roots) {
            String pointer = JsonPointers.child("/results/group_subtasks", root);
            if (!catalog.contains(root)) {
                violations.add(new Violation(
                        ViolationKind.UNKNOWN_TASK,
                        pointer,
                        "the results.json holds the lm-eval task '%s', which Assay does not know; GET /tasks lists the"
                                        .formatted(root)
                                + " known ones"));
                continue;
            }
            int before = violations.size();
            CheckedTask task = checkTask(root, imported, violations);
            catalog.leaves(root).forEach(leaf -> leavesImported.add(leaf.name()));
            if (violations.size() == before && task != null) {
                checked.add(task);
            }
        }
        if (roots.isEmpty()) {
            violations.add(new Violation(
                    ViolationKind.MISSING_FIELD, "/results/group_subtasks", "the results.json names no task"));
        }
        for (String task : imported.samples().keySet()) {
            if (!leavesImported.contains(task) && roots.stream().allMatch(catalog::contains)) {
                violations.add(new Violation(
                        ViolationKind.INVALID_VALUE,
                        JsonPointers.child("/samples", task),
                        "samples are given for %s, which is none of the results.json's tasks %s"
                                .formatted(task, roots)));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations.size() > 100 ? violations.subList(0, 100) : violations);
        }
        return checked;
    }

    /** The tasks and groups of {@code group_subtasks} that are nobody's child, in the file's order. */
    private static List<String> roots(JsonNode groupSubtasks) {
        Set<String> children = new LinkedHashSet<>();
        groupSubtasks
                .properties()
                .forEach(e -> e.getValue().forEach(child -> {
                    if (child.isString()) {
                        children.add(child.stringValue());
                    }
                }));
        List<String> roots = new ArrayList<>();
        for (String name : groupSubtasks.propertyNames()) {
            if (!children.contains(name)) {
                roots.add(name);
            }
        }
        return roots;
    }

    private CheckedTask checkTask(String root, LmEvalImport imported, List<Violation> violations) {
        ObjectNode file = imported.results();
        int start = violations.size();
        List<LmEvalTask> leaves = catalog.leaves(root);
        Map<String, List<Map<String, Double>>> scoresByLeaf = new LinkedHashMap<>();
        List<NewSampleScore> rows = new ArrayList<>();
        Map<String, Integer> originalCounts = new LinkedHashMap<>();
        Set<Integer> shotsSeen = new LinkedHashSet<>();
        Integer limit = null;
        long seed = file.path("config").path("fewshot_seed").isIntegralNumber()
                ? file.get("config").get("fewshot_seed").longValue()
                : LmEvalOptions.DEFAULT_FEWSHOT_SEED;
        for (LmEvalTask leaf : leaves) {
            String name = leaf.name();
            int before = violations.size();
            Object expectedVersion = leaf.config().version();
            JsonNode version = file.get("versions").get(name);
            if (version == null) {
                violations.add(new Violation(
                        ViolationKind.MISSING_FIELD,
                        JsonPointers.child("/results/versions", name),
                        "the results.json gives no version of %s".formatted(name)));
            } else if (!versionText(version).equals(versionText(expectedVersion))) {
                violations.add(new Violation(
                        ViolationKind.INVALID_VALUE,
                        JsonPointers.child("/results/versions", name),
                        "%s is version %s in the results.json, but Assay scores version %s: another task version's"
                                        .formatted(name, versionText(version), versionText(expectedVersion))
                                + " numbers are not comparable"));
            }
            JsonNode shotsNode = file.get("n-shot").get(name);
            if (shotsNode == null || !shotsNode.isIntegralNumber() || shotsNode.intValue() < 0) {
                violations.add(new Violation(
                        shotsNode == null ? ViolationKind.MISSING_FIELD : ViolationKind.INVALID_VALUE,
                        JsonPointers.child("/results/n-shot", name),
                        "the results.json gives no number of shots for %s".formatted(name)));
            }
            List<LmEvalImport.Line> lines = imported.samples().get(name);
            if (lines == null) {
                violations.add(new Violation(
                        ViolationKind.MISSING_FIELD,
                        JsonPointers.child("/samples", name),
                        "the samples of %s are missing: send samples_%s.jsonl as \"samples\": {\"%s\": ...}"
                                .formatted(name, name, name)));
            }
            if (violations.size() != before) {
                continue;
            }
            int shots = shotsNode.intValue();
            shotsSeen.add(shots);
            TaskDocs docs = TaskDocs.load(leaf, TaskPrompts.effectiveShots(leaf.config(), shots), datasets);
            List<DocRequests> requests = docs.requests(shots, seed, null);
            JsonNode counts = file.path("n-samples").path(name);
            int effective = counts.path("effective").isIntegralNumber()
                    ? counts.get("effective").intValue()
                    : requests.size();
            originalCounts.put(
                    name,
                    counts.path("original").isIntegralNumber()
                            ? counts.get("original").intValue()
                            : requests.size());
            if (effective < requests.size()) {
                limit = limit == null ? effective : Math.max(limit, effective);
            }
            List<Map<String, Double>> leafScores = new ArrayList<>();
            checkDocuments(leaf, requests, effective, lines, rows, leafScores, violations);
            scoresByLeaf.put(name, leafScores);
        }
        if (violations.size() != start) {
            return null;
        }
        ObjectNode options = F.objectNode();
        if (shotsSeen.size() == 1) {
            options.put(LmEvalOptions.NUM_FEWSHOT, shotsSeen.iterator().next());
        }
        if (limit == null) {
            options.putNull(LmEvalOptions.LIMIT);
        } else {
            options.put(LmEvalOptions.LIMIT, limit);
        }
        options.put(LmEvalOptions.FEWSHOT_SEED, seed);
        LmEvalResults computed = new LmEvalResults(catalog, root, LmEvalOptions.of(options), scoresByLeaf);
        compareAggregates(computed, file.get("results"), violations);
        if (violations.size() != start) {
            return null;
        }
        ObjectNode result = F.objectNode();
        ObjectNode lmEval = result.putObject("lmEval");
        ObjectNode counts = lmEval.putObject("originalCounts");
        originalCounts.forEach(counts::put);
        lmEval.put("imported", true);
        result.put("imported", true);
        return new CheckedTask(root, options, renumbered(rows), computed.headline(), result);
    }

    /** A group's documents numbered across its tasks in order, as the runner numbers them. */
    private static List<NewSampleScore> renumbered(List<NewSampleScore> rows) {
        List<NewSampleScore> numbered = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            numbered.add(new NewSampleScore(i, rows.get(i).record(), rows.get(i).scores()));
        }
        return numbered;
    }

    /**
     * Every document from 0 to {@code effective - 1} must have one line per filter of the task, and each line
     * must be of Assay's document and agree with Assay's scoring of its responses.
     */
    private void checkDocuments(
            LmEvalTask leaf,
            List<DocRequests> requests,
            int effective,
            List<LmEvalImport.Line> lines,
            List<NewSampleScore> rows,
            List<Map<String, Double>> leafScores,
            List<Violation> violations) {
        String name = leaf.name();
        if (CodeTasks.runsCode(leaf.config())) {
            // checking the samples would mean running their programs here, in the API, which never runs code
            violations.add(new Violation(
                    ViolationKind.INVALID_VALUE,
                    JsonPointers.child("/samples", name),
                    ("%s runs its model's code to score it, which the API never does: importing its lm-eval"
                                    + " results is not supported; submit the responses as 'outputs' to score them in a"
                                    + " worker's sandbox")
                            .formatted(name)));
            return;
        }
        Map<Integer, Map<String, LmEvalImport.Line>> byDoc = new TreeMap<>();
        for (LmEvalImport.Line line : lines) {
            JsonNode docId = line.json().get("doc_id");
            JsonNode filter = line.json().get("filter");
            if (docId == null || !docId.isIntegralNumber()) {
                violations.add(new Violation(
                        ViolationKind.MISSING_FIELD, line.pointer() + "/doc_id", "a sample line needs its 'doc_id'"));
                continue;
            }
            if (filter == null || !filter.isString()) {
                violations.add(new Violation(
                        ViolationKind.MISSING_FIELD,
                        line.pointer() + "/filter",
                        "a sample line needs its 'filter' (lm-eval writes one line per document and filter)"));
                continue;
            }
            int id = docId.intValue();
            if (id < 0 || id >= requests.size()) {
                violations.add(new Violation(
                        ViolationKind.INVALID_VALUE,
                        line.pointer() + "/doc_id",
                        "unknown doc_id %d: %s has %d documents (0 to %d)"
                                .formatted(id, name, requests.size(), requests.size() - 1)));
                continue;
            }
            if (id >= effective) {
                violations.add(new Violation(
                        ViolationKind.INVALID_VALUE,
                        line.pointer() + "/doc_id",
                        "doc_id %d lies beyond the %d documents that the results.json's n-samples counts for %s"
                                .formatted(id, effective, name)));
                continue;
            }
            LmEvalImport.Line previous =
                    byDoc.computeIfAbsent(id, k -> new LinkedHashMap<>()).putIfAbsent(filter.stringValue(), line);
            if (previous != null) {
                violations.add(new Violation(
                        ViolationKind.INVALID_VALUE,
                        line.pointer(),
                        "document %d of %s under filter %s is also at %s"
                                .formatted(id, name, filter.stringValue(), previous.pointer())));
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int id = 0; id < effective; id++) {
            if (!byDoc.containsKey(id)) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            violations.add(new Violation(
                    ViolationKind.MISSING_FIELD,
                    JsonPointers.child("/samples", name),
                    "samples are missing for %d of the %d documents of %s that the results.json counts: doc_id %s"
                            .formatted(
                                    missing.size(),
                                    effective,
                                    name,
                                    missing.size() > 10 ? missing.subList(0, 10) + "..." : missing)));
        }
        GenerationTasks.Scorer scorer = leaf.config().generative() ? GenerationTasks.scorer(leaf) : null;
        for (var entry : byDoc.entrySet()) {
            DocRequests assay = requests.get(entry.getKey());
            int before = violations.size();
            NewSampleScore row = scorer == null
                    ? multipleChoice(leaf, assay, entry.getValue(), violations)
                    : generation(leaf, scorer, assay, entry.getValue(), violations);
            if (violations.size() == before && row != null) {
                rows.add(row);
                Map<String, Double> values = new LinkedHashMap<>();
                row.scores()
                        .properties()
                        .forEach(e -> values.put(e.getKey(), e.getValue().doubleValue()));
                leafScores.add(values);
            }
        }
    }

    private static boolean sameDocument(
            LmEvalTask leaf, DocRequests assay, LmEvalImport.Line line, List<Violation> violations) {
        String expected = SampleRecords.sha256(PyJson.dumps(assay.doc().json(), 2));
        JsonNode hash = line.json().get("doc_hash");
        String given = hash != null && hash.isString()
                ? hash.stringValue()
                : line.json().get("doc") == null
                        ? null
                        : SampleRecords.sha256(PyJson.dumps(line.json().get("doc"), 2));
        if (!expected.equals(given)) {
            violations.add(new Violation(
                    ViolationKind.INVALID_VALUE,
                    line.pointer() + (hash != null ? "/doc_hash" : "/doc"),
                    "document %d of %s is not the row Assay has for it (its doc_hash differs): another dataset"
                                    .formatted(assay.docId(), leaf.name())
                            + " revision or task version"));
            return false;
        }
        return true;
    }

    private static NewSampleScore multipleChoice(
            LmEvalTask leaf, DocRequests assay, Map<String, LmEvalImport.Line> filters, List<Violation> violations) {
        LmEvalImport.Line line = filters.get("none");
        if (line == null || filters.size() != 1) {
            String where = (line == null ? filters.values().iterator().next() : line).pointer();
            violations.add(new Violation(
                    ViolationKind.INVALID_VALUE,
                    where + "/filter",
                    "%s has the one filter 'none', but document %d comes with filters %s"
                            .formatted(leaf.name(), assay.docId(), filters.keySet())));
            return null;
        }
        if (!sameDocument(leaf, assay, line, violations)) {
            return null;
        }
        List<ScoringArguments> arguments = arguments(line, violations);
        JsonNode resps = line.json().get("resps");
        if (arguments == null) {
            return null;
        }
        if (arguments.size() != assay.arguments().size()
                || resps == null
                || !resps.isArray()
                || resps.size() != arguments.size()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_VALUE,
                    line.pointer() + "/arguments",
                    "document %d of %s has %d choices in Assay, the line has %d requests and %d responses"
                            .formatted(
                                    assay.docId(),
                                    leaf.name(),
                                    assay.arguments().size(),
                                    arguments.size(),
                                    resps == null ? 0 : resps.size())));
            return null;
        }
        List<LogLikelihood> answers = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            if (!arguments.get(i).continuation().equals(assay.arguments().get(i).continuation())) {
                violations.add(new Violation(
                        ViolationKind.INVALID_VALUE,
                        line.pointer() + "/arguments/gen_args_" + i + "/arg_1",
                        "choice %d of document %d of %s is %s in the line but %s in Assay"
                                .formatted(
                                        i,
                                        assay.docId(),
                                        leaf.name(),
                                        PyJson.dumps(
                                                F.stringNode(arguments.get(i).continuation())),
                                        PyJson.dumps(F.stringNode(
                                                assay.arguments().get(i).continuation())))));
                return null;
            }
            LogLikelihood answer = logLikelihood(resps.get(i));
            if (answer == null) {
                violations.add(new Violation(
                        ViolationKind.INVALID_VALUE,
                        line.pointer() + "/resps/" + i,
                        "a log-likelihood response is [[\"<log-likelihood>\", \"True\" | \"False\"]]"));
                return null;
            }
            answers.add(answer);
        }
        Map<String, Double> scores = DocScoring.score(leaf, assay.doc(), answers);
        for (var score : scores.entrySet()) {
            if (!agrees(line, score.getKey(), score.getValue(), null, leaf, assay.docId(), violations)) {
                return null;
            }
        }
        DocRequests scored = new DocRequests(leaf.name(), assay.docId(), assay.doc(), assay.target(), arguments);
        return new NewSampleScore(
                assay.docId(), SampleRecords.record(scored, answers, null), SampleRecords.scores(scores));
    }

    private static NewSampleScore generation(
            LmEvalTask leaf,
            GenerationTasks.Scorer scorer,
            DocRequests assay,
            Map<String, LmEvalImport.Line> filters,
            List<Violation> violations) {
        LmEvalImport.Line first = filters.values().iterator().next();
        if (!sameDocument(leaf, assay, first, violations)) {
            return null;
        }
        List<String> responses = responses(first.json().get("resps"));
        if (responses == null) {
            violations.add(new Violation(
                    ViolationKind.INVALID_VALUE,
                    first.pointer() + "/resps",
                    "a generation's responses are [[\"<text>\", ...one per repeat]]"));
            return null;
        }
        GenerationTasks.ScoredDocument score = scorer.score(assay.doc(), leaf.docToTarget(assay.doc()), responses);
        for (var entry : filters.entrySet()) {
            LmEvalImport.Line line = entry.getValue();
            String filter = entry.getKey();
            if (!score.filtered().containsKey(filter)) {
                violations.add(new Violation(
                        ViolationKind.INVALID_VALUE,
                        line.pointer() + "/filter",
                        "%s has no filter %s; its filters are %s"
                                .formatted(leaf.name(), filter, score.filtered().keySet())));
                return null;
            }
        }
        for (String filter : score.filtered().keySet()) {
            if (!filters.containsKey(filter)) {
                violations.add(new Violation(
                        ViolationKind.MISSING_FIELD,
                        JsonPointers.child("/samples", leaf.name()),
                        "document %d of %s has no line for the filter %s (it has %s; %s scores %s)"
                                .formatted(
                                        assay.docId(),
                                        leaf.name(),
                                        filter,
                                        filters.keySet(),
                                        leaf.name(),
                                        score.filtered().keySet())));
                return null;
            }
        }
        for (var entry : filters.entrySet()) {
            LmEvalImport.Line line = entry.getValue();
            String filter = entry.getKey();
            if (!responses.equals(responses(line.json().get("resps")))) {
                violations.add(new Violation(
                        ViolationKind.INVALID_VALUE,
                        line.pointer() + "/resps",
                        "the lines of document %d of %s disagree on its responses"
                                .formatted(assay.docId(), leaf.name())));
                return null;
            }
            for (var value : score.scores().entrySet()) {
                String key = value.getKey();
                String suffix = "," + filter;
                if (key.endsWith(suffix + ":followed")) {
                    String metric = key.substring(0, key.length() - suffix.length() - ":followed".length());
                    Double count = score.scores().get(metric + suffix + ":count");
                    if (!agrees(line, metric, value.getValue(), count, leaf, assay.docId(), violations)) {
                        return null;
                    }
                } else if (key.endsWith(suffix)) {
                    String metric = key.substring(0, key.length() - suffix.length());
                    if (!agrees(line, metric, value.getValue(), null, leaf, assay.docId(), violations)) {
                        return null;
                    }
                }
            }
        }
        JsonNode arguments = first.json().path("arguments").path("gen_args_0");
        String context = arguments.path("arg_0").isString()
                ? arguments.get("arg_0").stringValue()
                : assay.generation().context();
        DocRequests scored = DocRequests.generating(
                leaf.name(),
                assay.docId(),
                assay.doc(),
                assay.target(),
                new GenerationRequest(
                        context, assay.generation().kwargs(), assay.generation().repeats()));
        ObjectNode record = SampleRecords.generationRecord(scored, responses, score.filtered(), null);
        if (!score.details().isEmpty()) {
            record.set("metrics", MAPPER.valueToTree(score.details()));
        }
        return new NewSampleScore(assay.docId(), record, SampleRecords.scores(score.scores()));
    }

    /**
     * Whether the line's value of {@code metric} is Assay's: a number or a bool (1 or 0), or, for an
     * instruction-level list (IFEval), as many {@code true} as {@code followed} out of {@code count}.
     */
    private static boolean agrees(
            LmEvalImport.Line line,
            String metric,
            double expected,
            Double count,
            LmEvalTask leaf,
            int docId,
            List<Violation> violations) {
        JsonNode given = line.json().get(metric);
        String problem = null;
        if (given == null) {
            problem = "has no value of %s".formatted(metric);
        } else if (count != null) {
            if (!given.isArray()) {
                problem = "gives %s as %s, not a list of instruction results".formatted(metric, given);
            } else {
                long followed = 0;
                for (JsonNode one : given) {
                    followed += one.asBoolean(false) ? 1 : 0;
                }
                if (followed != (long) expected || given.size() != count.longValue()) {
                    problem = "follows %d of %d instructions under %s, Assay's scoring of its response %d of %d"
                            .formatted(followed, given.size(), metric, (long) expected, count.longValue());
                }
            }
        } else {
            Double value = given.isBoolean()
                    ? (Double) (given.booleanValue() ? 1.0 : 0.0)
                    : given.isNumber() ? given.doubleValue() : null;
            if (value == null || !close(value, expected)) {
                problem = "gives %s = %s where Assay's scoring of its responses gives %s"
                        .formatted(metric, given, expected);
            }
        }
        if (problem != null) {
            violations.add(new Violation(
                    ViolationKind.INVALID_VALUE,
                    JsonPointers.child(line.pointer(), metric),
                    "the line of document %d of %s %s".formatted(docId, leaf.name(), problem)));
            return false;
        }
        return true;
    }

    private void compareAggregates(LmEvalResults computed, JsonNode fileResults, List<Violation> violations) {
        for (LmEvalResults.Entry entry : computed.entries().values()) {
            String pointer = JsonPointers.child("/results/results", entry.name());
            JsonNode given = fileResults.get(entry.name());
            if (given == null || !given.isObject()) {
                violations.add(new Violation(
                        ViolationKind.MISSING_FIELD,
                        pointer,
                        "the results.json has no results for %s".formatted(entry.name())));
                continue;
            }
            for (MetricResult metric : entry.metrics()) {
                String key = metric.metric() + "," + metric.filter();
                JsonNode value = given.get(key);
                if (value == null || !value.isNumber()) {
                    violations.add(new Violation(
                            ViolationKind.MISSING_FIELD,
                            JsonPointers.child(pointer, key),
                            "the results.json has no %s for %s, which Assay computes from the samples as %s"
                                    .formatted(key, entry.name(), metric.value())));
                } else if (!close(value.doubleValue(), metric.value())) {
                    violations.add(new Violation(
                            ViolationKind.INVALID_VALUE,
                            JsonPointers.child(pointer, key),
                            "the results.json gives %s %s = %s, but its samples give %s"
                                    .formatted(entry.name(), key, value, metric.value())));
                }
                String stderrKey = metric.metric() + "_stderr," + metric.filter();
                JsonNode stderr = given.get(stderrKey);
                if (metric.stderr() != null
                        && stderr != null
                        && stderr.isNumber()
                        && !close(stderr.doubleValue(), metric.stderr())) {
                    violations.add(new Violation(
                            ViolationKind.INVALID_VALUE,
                            JsonPointers.child(pointer, stderrKey),
                            "the results.json gives %s %s = %s, but its samples give %s"
                                    .formatted(entry.name(), stderrKey, stderr, metric.stderr())));
                }
            }
        }
    }

    private static boolean close(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) && Double.isNaN(b);
        }
        return Math.abs(a - b) <= TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
    }

    /** lm-eval's {@code arguments}: {@code {"gen_args_0": {"arg_0": context, "arg_1": continuation}, ...}}. */
    private static List<ScoringArguments> arguments(LmEvalImport.Line line, List<Violation> violations) {
        JsonNode arguments = line.json().get("arguments");
        List<ScoringArguments> parsed = new ArrayList<>();
        if (arguments != null && arguments.isObject()) {
            for (int i = 0; i < arguments.size(); i++) {
                JsonNode one = arguments.get("gen_args_" + i);
                if (one == null
                        || !one.path("arg_0").isString()
                        || !one.path("arg_1").isString()) {
                    parsed = null;
                    break;
                }
                parsed.add(new ScoringArguments(
                        one.get("arg_0").stringValue(), one.get("arg_1").stringValue()));
            }
        } else if (arguments != null && arguments.isArray()) {
            for (JsonNode one : arguments) {
                if (!one.isArray()
                        || one.size() != 2
                        || !one.get(0).isString()
                        || !one.get(1).isString()) {
                    parsed = null;
                    break;
                }
                parsed.add(new ScoringArguments(
                        one.get(0).stringValue(), one.get(1).stringValue()));
            }
        } else {
            parsed = null;
        }
        if (parsed == null) {
            violations.add(new Violation(
                    ViolationKind.INVALID_VALUE,
                    line.pointer() + "/arguments",
                    "a multiple-choice line's arguments are {\"gen_args_0\": {\"arg_0\": context, \"arg_1\":"
                            + " continuation}, ...}"));
        }
        return parsed;
    }

    /** {@code [["-1.25", "True"]]} as lm-eval writes it (or with a number and a bool). */
    private static LogLikelihood logLikelihood(JsonNode response) {
        JsonNode pair = response != null
                        && response.isArray()
                        && response.size() == 1
                        && response.get(0).isArray()
                ? response.get(0)
                : response;
        if (pair == null || !pair.isArray() || pair.size() != 2) {
            return null;
        }
        Double ll = null;
        if (pair.get(0).isNumber()) {
            ll = pair.get(0).doubleValue();
        } else if (pair.get(0).isString()) {
            try {
                ll = Double.parseDouble(pair.get(0).stringValue());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        JsonNode greedy = pair.get(1);
        Boolean isGreedy = greedy.isBoolean()
                ? (Boolean) greedy.booleanValue()
                : greedy.isString()
                                && (greedy.stringValue().equals("True")
                                        || greedy.stringValue().equals("False"))
                        ? (Boolean) greedy.stringValue().equals("True")
                        : null;
        return ll == null || isGreedy == null ? null : new LogLikelihood(ll, isGreedy);
    }

    /** A generation line's {@code resps}: {@code [[text, ...one per repeat]]}. */
    private static List<String> responses(JsonNode resps) {
        if (resps == null
                || !resps.isArray()
                || resps.size() != 1
                || !resps.get(0).isArray()
                || resps.get(0).isEmpty()) {
            return null;
        }
        List<String> responses = new ArrayList<>();
        for (JsonNode one : resps.get(0)) {
            if (!one.isString()) {
                return null;
            }
            responses.add(one.stringValue());
        }
        return responses;
    }

    /** A version as lm-eval prints it: 1.0 stays a float, 2 an int. */
    private static String versionText(Object version) {
        if (version instanceof JsonNode node) {
            if (node.isIntegralNumber()) {
                return Long.toString(node.longValue());
            }
            if (node.isNumber()) {
                return Double.toString(node.doubleValue());
            }
            return node.isString() ? node.stringValue() : node.toString();
        }
        if (version instanceof Integer || version instanceof Long) {
            return Long.toString(((Number) version).longValue());
        }
        if (version instanceof Number number) {
            return Double.toString(number.doubleValue());
        }
        return version == null ? "Yaml" : version.toString();
    }
}
