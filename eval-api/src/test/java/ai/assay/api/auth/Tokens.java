package ai.assay.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient;
import ai.assay.api.ApiClient.Response;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Makes tokens through {@code POST /admin/tokens}, as an admin would. */
final class Tokens {

    private final ApiClient admin;

    Tokens(ApiClient admin) {
        this.admin = admin;
    }

    /** A new token's secret. */
    String make(String name, String... scopes) {
        return madeToken(name, scopes).json().get("token").stringValue();
    }

    Response madeToken(String name, String... scopes) {
        String list = Arrays.stream(scopes).map(s -> "\"" + s + "\"").collect(Collectors.joining(","));
        Response response = admin.postJson("/admin/tokens", "{\"name\": \"" + name + "\", \"scopes\": [" + list + "]}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response;
    }
}
