package ai.assay.worker.judge.client;

import ai.assay.core.retry.RetryAfter;
import ai.assay.core.retry.TransientFailure;
import ai.assay.reference.alpacaeval.judging.PromptMessage;
import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.Headers;
import com.openai.credential.Credential;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionDeveloperMessageParam;
import com.openai.models.chat.completions.ChatCompletionSystemMessageParam;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;
import com.openai.models.completions.CompletionUsage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer;
import org.springframework.ai.openai.setup.OpenAiSetup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Chat completions from any OpenAI-compatible API through the OpenAI Java SDK that Spring AI ships with (built by
 * Spring AI's {@code OpenAiSetup}). The SDK client is used directly because Spring AI's {@code ChatResponse} drops the
 * log-probabilities the weighted judges need. The SDK's own retries are off: the caller retries (see
 * {@link JudgeCallException.Kind}). Thread-safe.
 */
public class JudgeClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_MESSAGE = 500;

    private final OpenAIClient client;
    private final String apiKey;

    /**
     * @param baseUrl  ending in /v1
     * @param apiKey   empty for a keyless server
     * @param maxIdleConnections connections kept open between requests (the number of requests in flight)
     */
    public JudgeClient(
            URI baseUrl, String apiKey, Duration timeout, int maxIdleConnections, MeterRegistry meterRegistry) {
        this.apiKey = apiKey;
        // OpenAiSetup takes its settings positionally; named here. What is not ours to set stays unset: no Azure
        // (deployment, service version, credential), no organization, not GitHub Models, no default model (each
        // request names one), no proxy and no extra headers.
        Credential credential = null;
        String azureDeploymentName = null;
        AzureOpenAIServiceVersion azureServiceVersion = null;
        String organizationId = null;
        boolean isAzure = false;
        boolean isGitHubModels = false;
        String modelName = null;
        int sdkRetries = 0; // the caller retries (JudgeDispatcher), honouring Retry-After and the run's stop
        Proxy proxy = null;
        Map<String, String> customHeaders = Map.of();
        OpenAiHttpClientBuilderCustomizer connectionPool =
                builder -> builder.maxIdleConnections(maxIdleConnections).keepAliveDuration(Duration.ofMinutes(1));
        this.client = OpenAiSetup.setupSyncClient(
                baseUrl.toString(),
                apiKey,
                credential,
                azureDeploymentName,
                azureServiceVersion,
                organizationId,
                isAzure,
                isGitHubModels,
                modelName,
                timeout,
                sdkRetries,
                proxy,
                customHeaders,
                ObservationRegistry.NOOP,
                meterRegistry,
                List.of(connectionPool));
    }

    /**
     * @param params the request's other fields (max_tokens, temperature, logprobs, ...), sent as given
     * @throws JudgeCallException when the request fails or the answer is not a chat completion
     */
    public JudgeResponse complete(String model, List<PromptMessage> messages, ObjectNode params)
            throws JudgeCallException {
        ChatCompletionCreateParams.Builder request =
                ChatCompletionCreateParams.builder().model(model);
        for (PromptMessage message : messages) {
            addMessage(request, message);
        }
        for (Map.Entry<String, JsonNode> param : params.properties()) {
            request.putAdditionalBodyProperty(
                    param.getKey(), JsonValue.from(JSON.convertValue(param.getValue(), Object.class)));
        }
        long started = System.nanoTime();
        ChatCompletion completion;
        try {
            completion = client.chat().completions().create(request.build());
            if (completion.choices().isEmpty()) {
                throw new JudgeCallException(
                        JudgeCallException.Kind.INVALID_RESPONSE, 200, null, "the judge's answer has no choices");
            }
        } catch (OpenAIServiceException e) {
            throw serviceError(e);
        } catch (OpenAIIoException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new JudgeCallException(
                    JudgeCallException.Kind.IO,
                    null,
                    null,
                    redact(cause.getClass().getSimpleName() + ": " + cause.getMessage()));
        } catch (OpenAIInvalidDataException e) {
            throw new JudgeCallException(
                    JudgeCallException.Kind.INVALID_RESPONSE,
                    200,
                    null,
                    redact("the judge's answer is not a chat completion: " + e.getMessage()));
        } catch (OpenAIException e) {
            throw new JudgeCallException(
                    JudgeCallException.Kind.INVALID_RESPONSE,
                    null,
                    null,
                    redact(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        long latency = (System.nanoTime() - started) / 1_000_000;
        ObjectNode choice = choiceJson(completion.choices().get(0));
        Integer promptTokens = completion
                .usage()
                .map(CompletionUsage::promptTokens)
                .map(Math::toIntExact)
                .orElse(null);
        Integer completionTokens = completion
                .usage()
                .map(CompletionUsage::completionTokens)
                .map(Math::toIntExact)
                .orElse(null);
        choice.put("text", answerText(choice));
        if (completion.usage().isPresent()) {
            choice.put("total_tokens", Math.toIntExact(completion.usage().get().totalTokens()));
        } else {
            choice.putNull("total_tokens");
        }
        return new JudgeResponse(choice, promptTokens, completionTokens, latency);
    }

    /** The choice as the SDK writes it back (the fields the server sent, including unknown ones). */
    private static ObjectNode choiceJson(ChatCompletion.Choice choice) throws JudgeCallException {
        try {
            return (ObjectNode) JSON.readTree(ObjectMappers.jsonMapper().writeValueAsString(choice));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new JudgeCallException(
                    JudgeCallException.Kind.INVALID_RESPONSE,
                    200,
                    null,
                    "the judge's answer cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /** alpaca_eval's {@code text}: the content, a tool call's arguments, or " " for an empty answer. */
    private static String answerText(JsonNode choice) {
        JsonNode message = choice.path("message");
        JsonNode toolCalls = message.path("tool_calls");
        if (toolCalls.isArray() && !toolCalls.isEmpty()) {
            return toolCalls.get(0).path("function").path("arguments").asString("");
        }
        JsonNode functionCall = message.path("function_call");
        if (functionCall.isObject()) {
            return functionCall.path("arguments").asString("");
        }
        String content =
                message.path("content").isString() ? message.path("content").stringValue() : "";
        return content.isEmpty() ? " " : content;
    }

    private static void addMessage(ChatCompletionCreateParams.Builder request, PromptMessage message)
            throws JudgeCallException {
        switch (message.role()) {
            case "system" -> {
                var system = ChatCompletionSystemMessageParam.builder().content(message.content());
                if (message.name() != null) {
                    system.name(message.name());
                }
                request.addMessage(system.build());
            }
            case "user" ->
                request.addMessage(ChatCompletionUserMessageParam.builder()
                        .content(message.content())
                        .build());
            case "assistant" ->
                request.addMessage(ChatCompletionAssistantMessageParam.builder()
                        .content(message.content())
                        .build());
            case "developer" ->
                request.addMessage(ChatCompletionDeveloperMessageParam.builder()
                        .content(message.content())
                        .build());
            default ->
                throw new JudgeCallException(
                        JudgeCallException.Kind.REJECTED,
                        null,
                        null,
                        "the prompt has a message with role '" + message.role() + "'");
        }
    }

    private JudgeCallException serviceError(OpenAIServiceException e) {
        int status = e.statusCode();
        JudgeCallException.Kind kind;
        if (status == 429) {
            kind = JudgeCallException.Kind.RATE_LIMITED;
        } else if (TransientFailure.isTransientStatus(status)) {
            kind = JudgeCallException.Kind.SERVER_ERROR;
        } else if (status == 401 || status == 403 || status == 404) {
            kind = JudgeCallException.Kind.CONFIGURATION;
        } else {
            kind = JudgeCallException.Kind.REJECTED;
        }
        return new JudgeCallException(
                kind, status, retryAfter(e.headers()), redact("HTTP " + status + ": " + e.getMessage()));
    }

    /** What the server asked to wait ({@link RetryAfter}), or null. */
    static Duration retryAfter(Headers headers) {
        return RetryAfter.from(name -> headers.values(name).stream().findFirst().orElse(null));
    }

    /** Error text from the server or the SDK, without the API key and not too long. */
    private String redact(String message) {
        String text = message == null ? "" : message;
        if (apiKey != null && apiKey.length() >= 4) {
            text = text.replace(apiKey, "<redacted>");
        }
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
    }

    @Override
    public void close() {
        client.close();
    }
}
