package ai.assay.api.lmeval;

import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.api.problem.RequestParameters;
import ai.assay.core.datasets.DatasetResolver;
import ai.assay.core.datasets.DatasetRows;
import ai.assay.core.datasets.DatasetUnavailableException;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.core.lmeval.LmEvalOptions;
import ai.assay.core.lmeval.TaskDocs;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.GenerationRequest;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.SampleRecords;
import ai.assay.reference.lmeval.ScoringArguments;
import ai.assay.reference.lmeval.TaskPrompts;
import ai.assay.reference.python.PyValues;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders an lm-eval task's first requests without a model, exactly as they would be scored, in the
 * {@code arguments} form of lm-eval's samples files: the way to compare prompts with {@code lm_eval --log_samples}.
 * A multiple-choice document shows one {@code (context, continuation)} pair per choice; a {@code generate_until}
 * document its one {@code (context, gen_kwargs)} request as lm-eval logs it, and under {@code generation} what the
 * model is asked for: the context, the stop strings (the backend adds the tokenizer's EOS string), the token budget,
 * sampling, temperature and the number of repeats. Without {@code numFewshot} each task has its own default shots
 * (its YAML's {@code num_fewshot}, as lm-eval without {@code --num_fewshot}).
 */
@RestController
class TaskPreviewController {

    static final int MAX_LIMIT = 100;

    private final LmEvalCatalog catalog;
    private final DatasetResolver datasets;

    TaskPreviewController(LmEvalCatalog catalog, DatasetResolver datasets) {
        this.catalog = catalog;
        this.datasets = datasets;
    }

    @Operation(
            summary = "Render an lm-eval task's first requests without a model",
            description = "The first N documents of the task (of each task of a group), with their contexts and"
                    + " continuations as lm-eval's samples files write them (arguments.gen_args_i.arg_0/arg_1) and"
                    + " prompt_hash; for a generation task the one request (arg_0 the context, arg_1 gen_kwargs)"
                    + " and, under generation, context, until, max_gen_toks, do_sample, temperature and repeats."
                    + " Reads the datasets directory or the cache (downloading if allowed).")
    @GetMapping("/tasks/{name}/preview")
    ObjectNode preview(
            @PathVariable String name,
            @Parameter(description = "documents per task, 1 to 100") @RequestParam(defaultValue = "3") int limit,
            @Parameter(description = "few-shot examples (lm-eval --num_fewshot); default: the task's own")
                    @RequestParam(required = false)
                    Integer numFewshot,
            @Parameter(description = "few-shot seed, default 1234") @RequestParam(required = false) Long fewshotSeed) {
        if (!catalog.contains(name)) {
            throw new ProblemException(
                    ProblemKind.NOT_FOUND,
                    "there is no lm-eval task called '%s'; GET /tasks lists them".formatted(name));
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw RequestParameters.invalid("limit", "'limit' must be between 1 and " + MAX_LIMIT);
        }
        List<LmEvalTask> leaves = catalog.leaves(name);
        if (numFewshot != null && numFewshot < 0) {
            throw RequestParameters.invalid("numFewshot", "'numFewshot' must not be negative");
        }
        if (numFewshot != null
                && numFewshot != 0
                && leaves.stream().anyMatch(t -> t.config().fixedZeroShot())) {
            throw RequestParameters.invalid(
                    "numFewshot", "'%s' is always 0-shot (its lm-eval config fixes num_fewshot: 0)".formatted(name));
        }
        long seed = fewshotSeed == null ? LmEvalOptions.DEFAULT_FEWSHOT_SEED : fewshotSeed;
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode body = f.objectNode();
        body.put("task", name);
        body.put("numFewshot", numFewshot == null ? defaultShots(leaves.get(0)) : numFewshot);
        body.put("fewshotSeed", seed);
        body.put("limit", limit);
        ArrayNode requests = body.putArray("requests");
        ArrayNode sources = body.putArray("datasets");
        for (LmEvalTask leaf : leaves) {
            int shots = numFewshot == null ? defaultShots(leaf) : numFewshot;
            int effective = TaskPrompts.effectiveShots(leaf.config(), shots);
            TaskDocs docs;
            try {
                docs = TaskDocs.load(leaf, effective, datasets);
            } catch (DatasetUnavailableException e) {
                throw new ProblemException(
                        ProblemKind.DATASET_UNAVAILABLE,
                        e.getMessage(),
                        Map.of("dataset", e.split().toString()));
            } catch (IllegalArgumentException e) {
                throw RequestParameters.invalid("numFewshot", e.getMessage());
            }
            source(sources, leaf, "eval", docs.evalSource());
            if (docs.fewshotSource() != null) {
                source(sources, leaf, "fewshot", docs.fewshotSource());
            }
            List<DocRequests> rendered;
            try {
                rendered = docs.requests(shots, seed, limit);
            } catch (IllegalArgumentException e) {
                throw RequestParameters.invalid("numFewshot", e.getMessage());
            }
            for (DocRequests doc : rendered) {
                ObjectNode entry = requests.addObject();
                entry.put("task", doc.task());
                entry.put("doc_id", doc.docId());
                entry.set("doc", doc.doc().json());
                entry.put("target", doc.target());
                ObjectNode arguments = entry.putObject("arguments");
                if (doc.generative()) {
                    GenerationRequest generation = doc.generation();
                    arguments
                            .putObject("gen_args_0")
                            .put("arg_0", generation.context())
                            .set("arg_1", PyValues.toJson(generation.arguments()));
                    entry.put("prompt_hash", SampleRecords.sha256(generation.context()));
                    ObjectNode request = entry.putObject("generation");
                    request.put("context", generation.context());
                    ArrayNode until = request.putArray("until");
                    generation.until().forEach(until::add);
                    request.put("max_gen_toks", generation.maxGenToks());
                    request.put("do_sample", generation.doSample());
                    request.put("temperature", generation.temperature());
                    request.put("repeats", generation.repeats());
                    continue;
                }
                int i = 0;
                for (ScoringArguments argument : doc.arguments()) {
                    arguments
                            .putObject("gen_args_" + i++)
                            .put("arg_0", argument.context())
                            .put("arg_1", argument.continuation());
                }
                entry.put(
                        "prompt_hash",
                        SampleRecords.sha256(doc.arguments().get(0).context()));
            }
        }
        return body;
    }

    /** The task's own {@code num_fewshot} (lm-eval's shots when {@code --num_fewshot} is not given), else 0. */
    private static int defaultShots(LmEvalTask leaf) {
        Integer shots = leaf.config().numFewshot();
        return shots == null ? 0 : shots;
    }

    private static void source(ArrayNode sources, LmEvalTask leaf, String role, DatasetRows rows) {
        sources.addObject()
                .put("task", leaf.name())
                .put("role", role)
                .put("split", rows.split().toString())
                .put("origin", rows.origin().value())
                .put("location", rows.location())
                .put("rows", rows.size())
                .put("sha256", rows.sha256());
    }
}
