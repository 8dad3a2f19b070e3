package ai.assay.worker.lmeval;

import ai.assay.core.lmeval.GenerationSettings;
import ai.assay.core.lmeval.LmEvalOptions;
import ai.assay.core.results.NewSampleScore;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.GenerationRequest;
import ai.assay.reference.lmeval.SampleRecords;
import ai.assay.reference.lmeval.TaskConfig;
import ai.assay.worker.engine.EngineWork;
import ai.assay.worker.engine.GenerationResult;
import ai.assay.worker.engine.GenerationSink;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.SamplingParams;
import ai.assay.worker.task.TaskContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code generate_until} documents of a run: each prompt encoded as lm-eval's HF backend encodes it (cut from the
 * left to leave room for {@code max_gen_toks}), generated {@code repeats} times through the engine's continuous
 * batching, longest prompt first as lm-eval orders them, greedy unless the task or the request samples, the text cut
 * before the first stop string ({@code until}) with special tokens skipped. Each document is scored and stored as
 * soon as its last repeat finishes, so a resumed job generates only what is missing. With responses made elsewhere
 * ({@link ProvidedResponses}) nothing is generated: each document is scored from its given responses.
 */
final class GenerationPass {

    private static final Logger log = LoggerFactory.getLogger(GenerationPass.class);

    private final String name;
    private final TaskContext context;
    private final LmEvalOptions options;
    private final GenerationScorer scorer;

    GenerationPass(String name, TaskContext context, LmEvalOptions options, GenerationScorer scorer) {
        this.name = name;
        this.context = context;
        this.options = options;
        this.scorer = scorer;
    }

    /** The decoding of a document: the request's {@code generation} option over the task's kwargs. */
    GenerationSettings settings(GenerationRequest request) {
        return options.generationSettings(GenerationSettings.ofTask(
                request.maxGenToks(), request.doSample(), request.temperature(), request.until()));
    }

    /** Scores each open document from the responses made elsewhere. */
    void scoreProvided(Map<Integer, DocRequests> open, ProvidedResponses provided) {
        List<NewSampleScore> finished = new ArrayList<>();
        for (var entry : new java.util.TreeMap<>(open).entrySet()) {
            DocRequests doc = entry.getValue();
            List<String> responses = provided.of(doc.task(), doc.docId())
                    .orElseThrow(() -> new IllegalArgumentException(
                            "the responses have none for document %d of %s".formatted(doc.docId(), doc.task())));
            int repeats = doc.generation().repeats();
            if (responses.size() < repeats) {
                throw new IllegalArgumentException(
                        "document %d of %s has %d responses; the task repeats each request %d times"
                                .formatted(doc.docId(), doc.task(), responses.size(), repeats));
            }
            finished.add(scorer.score(entry.getKey(), doc, responses.subList(0, repeats), null));
            if (finished.size() == 100) {
                save(finished);
            }
        }
        save(finished);
    }

    /** Generates and scores each open document. */
    void generate(Map<Integer, DocRequests> open) {
        LanguageModel model = context.model();
        int maxLength =
                options.maxLength() != null ? options.maxLength() : model.info().maxLength();
        RequestEncoder encoder = new RequestEncoder(model.tokenizer(), model.info(), options.addBosToken(), maxLength);
        Map<Integer, Document> documents = new HashMap<>();
        List<ai.assay.worker.engine.GenerationRequest> requests = new ArrayList<>();
        long truncated = 0;
        for (var entry : open.entrySet()) {
            DocRequests doc = entry.getValue();
            GenerationSettings settings = settings(doc.generation());
            RequestEncoder.EncodedPrompt prompt =
                    encoder.encodeGeneration(doc.generation().context(), settings.maxNewTokens());
            truncated += prompt.truncated() ? 1 : 0;
            int repeats = doc.generation().repeats();
            documents.put(entry.getKey(), new Document(doc, prompt, repeats));
            for (int r = 0; r < repeats; r++) {
                SamplingParams sampling = new SamplingParams(
                        settings.temperature(),
                        settings.topP(),
                        0,
                        settings.maxNewTokens(),
                        settings.seed() + (long) entry.getKey() * repeats + r, // each repeat its own draw, stable
                        settings.stop());
                requests.add(new ai.assay.worker.engine.GenerationRequest(
                        entry.getKey() + ":" + r, prompt.tokens(), sampling));
            }
        }
        if (truncated > 0) {
            log.warn("{}: {} prompts were cut from the left to leave room for the generated tokens", name, truncated);
        }
        // lm-eval's order: longest prompt first (ties by document), so the batch's slowest rows start first
        requests.sort(Comparator.comparingInt((ai.assay.worker.engine.GenerationRequest r) -> -r.promptTokens().length)
                .thenComparing(ai.assay.worker.engine.GenerationRequest::id));
        EngineWork work = EngineWork.start(model);
        List<NewSampleScore> finished = new ArrayList<>();
        int[] generatedTokens = {0};
        model.generate(requests, new GenerationSink() {
            @Override
            public void accept(GenerationResult result) {
                String id = result.id();
                int colon = id.indexOf(':');
                int globalDoc = Integer.parseInt(id.substring(0, colon));
                int repeat = Integer.parseInt(id.substring(colon + 1));
                Document document = documents.get(globalDoc);
                if (document == null || document.texts[repeat] != null) {
                    throw new IllegalStateException("the engine answered an unknown request " + id);
                }
                document.texts[repeat] = result.text();
                document.outputTokens[repeat] = result.outputTokens();
                generatedTokens[0] += result.outputTokens();
                if (--document.missing == 0) {
                    documents.remove(globalDoc);
                    finished.add(scorer.score(
                            globalDoc,
                            asGenerated(document.doc),
                            List.of(document.texts),
                            new SampleRecords.GenerationTokens(
                                    document.prompt.tokens().length,
                                    document.prompt.truncated(),
                                    Arrays.stream(document.outputTokens).boxed().toList())));
                    context.progress()
                            .tokens(
                                    document.prompt.tokens().length * document.texts.length,
                                    Arrays.stream(document.outputTokens).sum());
                    save(finished);
                }
            }

            @Override
            public boolean shouldStop() {
                return context.stopRequested();
            }
        });
        context.checkStop();
        if (!documents.isEmpty()) {
            throw new IllegalStateException(
                    "the engine left %d of %d documents unanswered".formatted(documents.size(), open.size()));
        }
        log.info(
                "{}: generated {} responses ({} tokens) in {}",
                name,
                requests.size(),
                generatedTokens[0],
                work.report());
    }

    /**
     * The document with the gen_kwargs it was generated with, as lm-eval records a run with {@code --gen_kwargs}:
     * the task's kwargs with each value the request's {@code generation} option changed put over them.
     */
    DocRequests asGenerated(DocRequests doc) {
        GenerationRequest request = doc.generation();
        GenerationSettings task = GenerationSettings.ofTask(
                request.maxGenToks(), request.doSample(), request.temperature(), request.until());
        GenerationSettings used = settings(request);
        if (used.equals(task)) {
            return doc;
        }
        Map<String, Object> kwargs = new java.util.LinkedHashMap<>(request.arguments());
        if (!used.stop().equals(task.stop())) {
            kwargs.put("until", used.stop());
        }
        if (used.maxNewTokens() != task.maxNewTokens()) {
            kwargs.put("max_gen_toks", used.maxNewTokens());
        }
        if (used.temperature() != task.temperature()) {
            kwargs.put("temperature", used.temperature());
            kwargs.put("do_sample", used.temperature() > 0);
        }
        if (used.topP() != task.topP()) {
            kwargs.put("top_p", used.topP());
        }
        if (used.seed() != task.seed() && !used.greedy()) {
            kwargs.put("seed", used.seed());
        }
        return new DocRequests(
                doc.task(),
                doc.docId(),
                doc.doc(),
                doc.target(),
                doc.arguments(),
                new GenerationRequest(request.context(), new TaskConfig.GenerationKwargs(kwargs), request.repeats()));
    }

    private void save(List<NewSampleScore> finished) {
        if (!finished.isEmpty()) {
            context.store().saveSampleScores(List.copyOf(finished));
            context.progress().advance(finished.size());
            finished.clear();
        }
    }

    /** A document being generated. */
    private static final class Document {
        final DocRequests doc;
        final RequestEncoder.EncodedPrompt prompt;
        final String[] texts;
        final int[] outputTokens;
        int missing;

        Document(DocRequests doc, RequestEncoder.EncodedPrompt prompt, int repeats) {
            this.doc = doc;
            this.prompt = prompt;
            this.texts = new String[repeats];
            this.outputTokens = new int[repeats];
            this.missing = repeats;
        }
    }

    /** Scores one document from its responses and makes its stored row. */
    interface GenerationScorer {
        NewSampleScore score(
                int globalDoc, DocRequests doc, List<String> responses, SampleRecords.GenerationTokens tokens);
    }
}
