package ai.assay.worker.lmeval;

import ai.assay.reference.chat.ChatMessage;
import ai.assay.worker.engine.FinishReason;
import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationResult;
import ai.assay.worker.engine.GenerationSink;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ModelInfo;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringResult;
import ai.assay.worker.engine.ScoringSink;
import ai.assay.worker.engine.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A test model whose log-likelihood of a continuation is a fixed function of its tokens' text (each token costs
 * its hash modulo 11, plus one), greedy when it is one token. It records every batch it is given, and, given a
 * chat template, renders chats with it as transformers would.
 */
final class ScriptedModel implements LanguageModel {

    final WordTokenizer tokenizer;
    final ModelInfo info;
    final List<List<ScoringRequest>> batches = new ArrayList<>();
    final List<GenerationRequest> generations = new ArrayList<>();
    /** What the model "generates" for a prompt (decoded), before the stop strings cut it as the engine does. */
    java.util.function.Function<String, String> answers = prompt -> "";
    /** Every chat the runner asked to render, in order. */
    final List<List<ChatMessage>> chats = new ArrayList<>();

    private ai.assay.reference.jinja.JinjaTemplate chatTemplate;

    ScriptedModel(boolean addsBos, int maxLength) {
        this.tokenizer = new WordTokenizer(addsBos);
        this.info = new ModelInfo(
                "optimum", "fp32", "cpu", maxLength, 50_000, WordTokenizer.BOS, List.of(WordTokenizer.EOS), addsBos);
    }

    double logLikelihood(int[] continuation) {
        double total = 0;
        for (int id : continuation) {
            total -= Math.floorMod(tokenizer.piece(id).hashCode(), 11) + 1;
        }
        return total;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
        if (chatTemplate == null) {
            throw new UnsupportedOperationException();
        }
        chats.add(List.copyOf(messages));
        List<java.util.Map<String, Object>> chat = new ArrayList<>();
        for (ChatMessage message : messages) {
            java.util.Map<String, Object> entry = new java.util.LinkedHashMap<>();
            entry.put("role", message.role());
            entry.put("content", message.content());
            chat.add(entry);
        }
        java.util.Map<String, Object> bindings = new java.util.HashMap<>();
        bindings.put("messages", chat);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        return chatTemplate.render(bindings);
    }

    @Override
    public java.util.Optional<String> chatTemplateText() {
        return java.util.Optional.ofNullable(chatTemplate).map(ai.assay.reference.jinja.JinjaTemplate::source);
    }

    /** Gives the model a chat template (Jinja2, transformers' dialect); without one it has none. */
    ScriptedModel withChatTemplate(String template) {
        this.chatTemplate = ai.assay.reference.jinja.JinjaTemplate.parse(
                template, ai.assay.reference.jinja.JinjaDialect.TRANSFORMERS);
        return this;
    }

    @Override
    public void generate(List<GenerationRequest> requests, GenerationSink sink) {
        generations.addAll(requests);
        for (GenerationRequest request : requests) {
            String text = answers.apply(tokenizer.decode(request.promptTokens(), true));
            for (String stop : request.sampling().stop()) {
                int at = text.indexOf(stop);
                if (at >= 0) {
                    text = text.substring(0, at);
                }
            }
            int tokens = tokenizer.encode(text, false).length + 1;
            sink.accept(new GenerationResult(
                    request.id(), text, request.promptTokens().length, tokens, FinishReason.STOP, 0));
        }
    }

    @Override
    public void loglikelihood(List<ScoringRequest> requests, ScoringSink sink) {
        batches.add(List.copyOf(requests));
        for (ScoringRequest request : requests) {
            if (request.contextTokens().length + request.continuationTokens().length - 1 > info.maxLength()) {
                throw new IllegalArgumentException("input longer than the model");
            }
            sink.accept(new ScoringResult(
                    request.id(),
                    logLikelihood(request.continuationTokens()),
                    request.continuationTokens().length == 1));
        }
    }

    @Override
    public void close() {}
}
