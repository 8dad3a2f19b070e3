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
import ai.assay.reference.chat.ChatMessage;
import ai.assay.reference.chat.ChatTemplate;
import ai.assay.reference.chat.ChatTemplateException;
import ai.assay.reference.lmeval.ChatOptions;
import ai.assay.reference.lmeval.ChatPrompt;
import ai.assay.reference.lmeval.Doc;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.GenerationRequest;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.PromptMessage;
import ai.assay.reference.lmeval.SampleRecords;
import ai.assay.reference.lmeval.ScoringArguments;
import ai.assay.reference.lmeval.SystemMessageFallback;
import ai.assay.reference.lmeval.TaskPrompts;
import ai.assay.reference.python.PyValues;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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

    static final int DEFAULT_LIMIT = 3;

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
                    + " With applyChatTemplate each document shows the chat messages lm-eval hands the model's"
                    + " template (messages); POST a chatTemplate to see the templated text as well."
                    + " Reads the datasets directory or the cache (downloading if allowed).")
    @GetMapping("/tasks/{name}/preview")
    ObjectNode preview(
            @PathVariable String name,
            @Parameter(description = "documents per task, 1 to 100") @RequestParam(defaultValue = "3") int limit,
            @Parameter(description = "few-shot examples (lm-eval --num_fewshot); default: the task's own")
                    @RequestParam(required = false)
                    Integer numFewshot,
            @Parameter(description = "few-shot seed, default 1234") @RequestParam(required = false) Long fewshotSeed,
            @Parameter(description = "the prompt as chat messages (lm-eval --apply_chat_template)")
                    @RequestParam(defaultValue = "false")
                    boolean applyChatTemplate,
            @Parameter(description = "few-shot examples as turns (lm-eval --fewshot_as_multiturn)")
                    @RequestParam(defaultValue = "false")
                    boolean fewshotAsMultiturn,
            @Parameter(description = "system instruction (lm-eval --system_instruction)")
                    @RequestParam(required = false)
                    String systemInstruction) {
        return render(
                name,
                new PreviewRequest(
                        limit,
                        numFewshot,
                        fewshotSeed,
                        applyChatTemplate,
                        fewshotAsMultiturn,
                        systemInstruction,
                        null,
                        null,
                        null));
    }

    @Operation(
            summary = "Render an lm-eval task's first requests with a chat template, without a model",
            description = "As GET /tasks/{name}/preview, the parameters in a JSON body, which may also carry the"
                    + " model's chat template (chatTemplate: the Jinja source of its tokenizer_config.json,"
                    + " specialTokens: e.g. {\"bos_token\": \"<s>\"}, additionalSpecialTokens): then each context"
                    + " is the templated text, as the worker renders it for that model. Reads only; needs the read"
                    + " scope.")
    @PostMapping(
            path = "/tasks/{name}/preview",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode previewWithTemplate(@PathVariable String name, @RequestBody PreviewRequest request) {
        return render(name, request);
    }

    private ObjectNode render(String name, PreviewRequest request) {
        if (!catalog.contains(name)) {
            throw new ProblemException(
                    ProblemKind.NOT_FOUND,
                    "there is no lm-eval task called '%s'; GET /tasks lists them".formatted(name));
        }
        int limit = request.limit() == null ? DEFAULT_LIMIT : request.limit();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw RequestParameters.invalid("limit", "'limit' must be between 1 and " + MAX_LIMIT);
        }
        Integer numFewshot = request.numFewshot();
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
        ChatOptions chat = request.chat();
        ChatPrompt.Renderer renderer = request.renderer();
        long seed = request.fewshotSeed() == null ? LmEvalOptions.DEFAULT_FEWSHOT_SEED : request.fewshotSeed();
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode body = f.objectNode();
        body.put("task", name);
        body.put("numFewshot", numFewshot == null ? defaultShots(leaves.get(0)) : numFewshot);
        body.put("fewshotSeed", seed);
        body.put("limit", limit);
        body.put("applyChatTemplate", chat.applyChatTemplate());
        body.put("fewshotAsMultiturn", chat.fewshotAsMultiturn());
        body.put("systemInstruction", chat.systemInstruction());
        body.put("templated", renderer != null);
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
            if (chat.applyChatTemplate() && renderer == null) {
                messagesOnly(requests, leaf, docs, shots, seed, limit, chat);
                continue;
            }
            List<DocRequests> rendered;
            List<ChatPrompt> messages;
            try {
                rendered = docs.requests(shots, seed, limit, chat, renderer);
                messages = chat.applyChatTemplate() ? docs.chatPrompts(shots, seed, limit, chat) : null;
            } catch (ChatTemplateException e) {
                throw RequestParameters.invalid("chatTemplate", "the chat template fails: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw RequestParameters.invalid("numFewshot", e.getMessage());
            }
            for (int i = 0; i < rendered.size(); i++) {
                DocRequests doc = rendered.get(i);
                ObjectNode entry = entry(requests, doc.task(), doc.docId(), doc);
                if (messages != null) {
                    putMessages(entry, messages.get(i));
                }
                ObjectNode arguments = entry.putObject("arguments");
                if (doc.generative()) {
                    GenerationRequest generation = doc.generation();
                    arguments
                            .putObject("gen_args_0")
                            .put("arg_0", generation.context())
                            .set("arg_1", PyValues.toJson(generation.arguments()));
                    entry.put("prompt_hash", SampleRecords.sha256(generation.context()));
                    ObjectNode generationNode = entry.putObject("generation");
                    generationNode.put("context", generation.context());
                    ArrayNode until = generationNode.putArray("until");
                    generation.until().forEach(until::add);
                    generationNode.put("max_gen_toks", generation.maxGenToks());
                    generationNode.put("do_sample", generation.doSample());
                    generationNode.put("temperature", generation.temperature());
                    generationNode.put("repeats", generation.repeats());
                    continue;
                }
                int g = 0;
                for (ScoringArguments argument : doc.arguments()) {
                    arguments
                            .putObject("gen_args_" + g++)
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

    /** Under a chat template with no template given: each document's messages, as lm-eval hands them on. */
    private static void messagesOnly(
            ArrayNode requests, LmEvalTask leaf, TaskDocs docs, int shots, long seed, int limit, ChatOptions chat) {
        List<ChatPrompt> prompts;
        try {
            prompts = docs.chatPrompts(shots, seed, limit, chat);
        } catch (IllegalArgumentException e) {
            throw RequestParameters.invalid("numFewshot", e.getMessage());
        }
        for (int docId = 0; docId < prompts.size(); docId++) {
            ObjectNode entry = entry(requests, leaf.name(), docId, null);
            Doc doc = docs.evalDocs().get(docId);
            entry.set("doc", doc.json());
            putMessages(entry, prompts.get(docId));
        }
    }

    private static ObjectNode entry(ArrayNode requests, String task, int docId, DocRequests doc) {
        ObjectNode entry = requests.addObject();
        entry.put("task", task);
        entry.put("doc_id", docId);
        if (doc != null) {
            entry.set("doc", doc.doc().json());
            entry.put("target", doc.target());
        }
        return entry;
    }

    /** {@code messages}: one list of {@code {role, content}} per context; {@code continueFinalMessage} for a prefix. */
    private static void putMessages(ObjectNode entry, ChatPrompt prompt) {
        ArrayNode conversations = entry.putArray("messages");
        for (List<PromptMessage> conversation : prompt.conversations()) {
            ArrayNode turns = conversations.addArray();
            for (PromptMessage message : conversation) {
                turns.addObject().put("role", message.role()).put("content", message.content());
            }
        }
        entry.put("continueFinalMessage", prompt.continueFinalMessage());
    }

    /**
     * What a preview is asked for.
     *
     * @param limit                   documents per task, default 3
     * @param chatTemplate            the model's chat template (Jinja), or null to show the messages only
     * @param specialTokens           the special token strings the template may name ({@code bos_token}, ...)
     * @param additionalSpecialTokens the template's {@code additional_special_tokens}
     */
    record PreviewRequest(
            Integer limit,
            Integer numFewshot,
            Long fewshotSeed,
            Boolean applyChatTemplate,
            Boolean fewshotAsMultiturn,
            String systemInstruction,
            String chatTemplate,
            Map<String, String> specialTokens,
            List<String> additionalSpecialTokens) {

        PreviewRequest {
            applyChatTemplate = Boolean.TRUE.equals(applyChatTemplate);
            fewshotAsMultiturn = Boolean.TRUE.equals(fewshotAsMultiturn);
        }

        ChatOptions chat() {
            if (fewshotAsMultiturn && !applyChatTemplate) {
                throw RequestParameters.invalid(
                        "fewshotAsMultiturn",
                        "'fewshotAsMultiturn' needs 'applyChatTemplate': true, as lm-eval refuses"
                                + " --fewshot_as_multiturn without --apply_chat_template");
            }
            if (chatTemplate != null && !applyChatTemplate) {
                throw RequestParameters.invalid(
                        "chatTemplate", "a 'chatTemplate' is used only with 'applyChatTemplate': true");
            }
            if (systemInstruction != null && systemInstruction.length() > LmEvalOptions.MAX_SYSTEM_INSTRUCTION) {
                throw RequestParameters.invalid(
                        "systemInstruction",
                        "'systemInstruction' is longer than " + LmEvalOptions.MAX_SYSTEM_INSTRUCTION + " characters");
            }
            return new ChatOptions(systemInstruction, applyChatTemplate, fewshotAsMultiturn);
        }

        /** The template's renderer, falling back as lm-eval does; null without a template. */
        ChatPrompt.Renderer renderer() {
            if (chatTemplate == null) {
                return null;
            }
            ChatTemplate template;
            try {
                template = ChatTemplate.of(
                        chatTemplate,
                        specialTokens == null ? Map.of() : specialTokens,
                        additionalSpecialTokens == null ? List.of() : additionalSpecialTokens);
            } catch (ChatTemplateException e) {
                throw RequestParameters.invalid("chatTemplate", e.getMessage());
            }
            return new SystemMessageFallback(
                    (messages, addGenerationPrompt) -> template.render(
                            messages.stream()
                                    .map(m -> new ChatMessage(m.role(), m.content()))
                                    .toList(),
                            addGenerationPrompt),
                    e -> {});
        }
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
