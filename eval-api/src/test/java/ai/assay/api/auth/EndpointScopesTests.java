package ai.assay.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient;
import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint of the API, found in Spring's handler mappings (so a new endpoint is covered without a change
 * here), is called without a token, with a token that lacks its scope, and with one that has it.
 */
class EndpointScopesTests extends ApiIntegrationTest {

    /** Endpoints open to everyone, by design (the probes and Actuator have handler mappings of their own). */
    private static final Set<String> OPEN =
            Set.of("GET /problems", "GET /problems/{slug}", "GET /sign-in", "POST /sign-in", "POST /sign-out");

    /** POSTs that only read: their body carries what a query string cannot (a chat template). */
    private static final Set<String> READING_POSTS = Set.of("POST /tasks/{name}/preview");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    private Tokens tokens;

    record Endpoint(String method, String pattern, Scope scope) {

        String path() {
            return pattern.replace("{id}", "00000000-0000-0000-0000-000000000000")
                    .replaceAll("\\{[^}]+}", "x");
        }

        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    @BeforeEach
    void makeTokens() {
        tokens = new Tokens(api);
    }

    @Test
    void everyEndpointRefusesARequestWithoutATokenWith401() {
        ApiClient anonymous = api.anonymous();
        List<Endpoint> endpoints = endpoints();
        assertThat(endpoints).hasSizeGreaterThan(20);
        for (Endpoint endpoint : endpoints) {
            Response response = send(anonymous, endpoint);
            assertThat(response.status()).as(endpoint + ": " + response.body()).isEqualTo(401);
            assertThat(response.isProblem()).as(endpoint.toString()).isTrue();
            assertThat(response.json().get("type").stringValue()).isEqualTo("/problems/unauthenticated");
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        }
    }

    @Test
    void everyEndpointRefusesATokenWithoutItsScopeWith403() {
        Map<Scope, ApiClient> lacking = Map.of(
                Scope.READ, api.withToken(tokens.make("submit only", "submit")),
                Scope.SUBMIT, api.withToken(tokens.make("read only", "read")),
                Scope.ADMIN, api.withToken(tokens.make("read and submit", "read", "submit")));
        for (Endpoint endpoint : endpoints()) {
            Response response = send(lacking.get(endpoint.scope()), endpoint);
            assertThat(response.status()).as(endpoint + ": " + response.body()).isEqualTo(403);
            assertThat(response.json().get("type").stringValue()).isEqualTo("/problems/insufficient-scope");
            assertThat(response.json().get("requiredScope").stringValue())
                    .isEqualTo(endpoint.scope().value());
        }
    }

    @Test
    void everyEndpointLetsATokenWithItsScopeThrough() {
        Map<Scope, ApiClient> holding = Map.of(
                Scope.READ, api.withToken(tokens.make("reader", "read")),
                Scope.SUBMIT, api.withToken(tokens.make("submitter", "submit")),
                Scope.ADMIN, api.withToken(tokens.make("admin", "admin")));
        for (Endpoint endpoint : endpoints()) {
            Response response = send(holding.get(endpoint.scope()), endpoint);
            assertThat(response.status()).as(endpoint + ": " + response.body()).isNotIn(401, 403);
        }
    }

    @Test
    void theOpenEndpointsNeedNoToken() {
        ApiClient anonymous = api.anonymous();
        for (String path : List.of("/livez", "/readyz", "/actuator/health", "/problems", "/v3/api-docs", "/sign-in")) {
            assertThat(anonymous.get(path).status()).as(path).isEqualTo(200);
        }
    }

    private List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping :
                mappings.getHandlerMethods().entrySet()) {
            if (!mapping.getValue().getBeanType().getPackageName().startsWith("ai.assay")) {
                continue;
            }
            for (String pattern : mapping.getKey().getPatternValues()) {
                for (RequestMethod method :
                        mapping.getKey().getMethodsCondition().getMethods()) {
                    if (OPEN.contains(method.name() + " " + pattern)) {
                        continue;
                    }
                    Scope scope = pattern.startsWith("/admin/")
                            ? Scope.ADMIN
                            : method == RequestMethod.GET || READING_POSTS.contains(method.name() + " " + pattern)
                                    ? Scope.READ
                                    : Scope.SUBMIT;
                    endpoints.add(new Endpoint(method.name(), pattern, scope));
                }
            }
        }
        return endpoints;
    }

    private static Response send(ApiClient client, Endpoint endpoint) {
        return endpoint.method().equals("GET")
                ? client.get(endpoint.path())
                : client.request(endpoint.method(), endpoint.path(), "{}", "Content-Type", "application/json");
    }
}
