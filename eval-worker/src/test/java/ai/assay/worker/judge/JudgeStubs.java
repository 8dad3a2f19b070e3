package ai.assay.worker.judge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** OpenAI chat-completion answers for a WireMock judge, with every field the OpenAI SDK insists on. */
public final class JudgeStubs {

    static final String PATH = "/v1/chat/completions";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JudgeStubs() {}

    public static URI baseUrl(WireMockServer server) {
        return URI.create("http://localhost:" + server.port() + "/v1");
    }

    /** A one-token answer whose first position has these top log-probabilities (token, logprob pairs). */
    public static String logprobAnswer(Object... tokenLogprobPairs) {
        ArrayNode top = NODES.arrayNode();
        for (int i = 0; i < tokenLogprobPairs.length; i += 2) {
            ObjectNode entry = top.addObject();
            entry.put("token", (String) tokenLogprobPairs[i]);
            entry.put("logprob", ((Number) tokenLogprobPairs[i + 1]).doubleValue());
            ArrayNode bytes = entry.putArray("bytes");
            for (byte b : ((String) tokenLogprobPairs[i]).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                bytes.add(b & 0xff);
            }
        }
        ObjectNode logprobs = NODES.objectNode();
        ObjectNode position = logprobs.putArray("content").addObject();
        position.put("token", top.get(0).get("token").asString());
        position.put("logprob", top.get(0).get("logprob").asDouble());
        position.set("bytes", top.get(0).get("bytes"));
        position.set("top_logprobs", top);
        return completion(top.get(0).get("token").asString(), logprobs);
    }

    /** An answer with these logprobs (e.g. copied from an alpaca_eval raw completion). */
    public static String answerWithLogprobs(String text, JsonNode logprobs) {
        return completion(text, logprobs);
    }

    /** A text answer without log-probabilities. */
    public static String textAnswer(String text) {
        return completion(text, null);
    }

    private static String completion(String text, JsonNode logprobs) {
        ObjectNode root = NODES.objectNode();
        root.put("id", "chatcmpl-test");
        root.put("object", "chat.completion");
        root.put("created", 1_700_000_000L);
        root.put("model", "judge-test");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.put("finish_reason", "length");
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", text);
        if (logprobs == null) {
            choice.putNull("logprobs");
        } else {
            choice.set("logprobs", logprobs);
        }
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", 120);
        usage.put("completion_tokens", 1);
        usage.put("total_tokens", 121);
        return JSON.writeValueAsString(root);
    }

    public static ResponseDefinitionBuilder ok(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    public static ResponseDefinitionBuilder error(int status) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"stub error " + status + "\",\"type\":\"test\"}}");
    }

    /** A POST to the chat-completions path. */
    public static MappingBuilder chat() {
        return post(urlEqualTo(PATH));
    }

    /** A POST whose user message contains this text. */
    public static MappingBuilder chatContaining(String text) {
        return post(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.messages[1].content", containing(text)));
    }

    public static int requests(WireMockServer server) {
        return server.countRequestsMatching(postRequestedFor(urlEqualTo(PATH)).build())
                .getCount();
    }

    /** The JSON bodies the judge received, oldest first. */
    public static List<JsonNode> requestBodies(WireMockServer server) {
        List<JsonNode> bodies = new java.util.ArrayList<>(server.getAllServeEvents().stream()
                .map(event -> JSON.readTree(event.getRequest().getBodyAsString()))
                .toList());
        java.util.Collections.reverse(bodies);
        return bodies;
    }
}
