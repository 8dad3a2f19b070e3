package ai.assay.api.auth;

import ai.assay.api.problem.InvalidRequestException;
import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.api.problem.RequestParameters;
import ai.assay.core.validation.StorableText;
import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Making, listing and revoking API tokens; admin scope only ({@link RequiredScope}). */
@RestController
@RequestMapping("/admin/tokens")
class TokenController {

    private static final int MAX_NAME_LENGTH = 100;

    private final ApiTokenRepository tokens;

    TokenController(ApiTokenRepository tokens) {
        this.tokens = tokens;
    }

    /** A token as listed: never its secret. */
    record TokenView(
            UUID id,
            String name,
            List<String> scopes,
            boolean bootstrap,
            UUID createdBy,
            Instant createdAt,
            Instant lastUsedAt,
            Instant revokedAt) {

        static TokenView of(ApiToken token) {
            return new TokenView(
                    token.id(),
                    token.name(),
                    ApiTokenAuthentication.scopesOf(token),
                    token.bootstrap(),
                    token.createdBy(),
                    token.createdAt(),
                    token.lastUsedAt(),
                    token.revokedAt());
        }
    }

    /** A token just made, with its secret: the only time the secret is shown. */
    record IssuedTokenView(UUID id, String name, List<String> scopes, Instant createdAt, String token) {}

    @Operation(
            summary = "Make a token",
            description = "Body: {\"name\": \"...\", \"scopes\": [\"read\", \"submit\", \"admin\"]}. The answer holds"
                    + " the token's secret; it is shown this once and only its hash is stored.")
    @ApiResponse(responseCode = "201", description = "Made; the body has the secret")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<IssuedTokenView> create(@RequestBody JsonNode body, @AuthenticationPrincipal ApiToken caller) {
        List<Violation> violations = new ArrayList<>(body == null ? List.of() : StorableText.violations(body));
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        String name = name(body, violations);
        Set<Scope> scopes = scopes(body, violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        String secret = TokenSecrets.generate();
        ApiToken token = tokens.insert(name, scopes, TokenSecrets.sha256(secret), caller.id());
        return ResponseEntity.status(HttpStatus.CREATED)
                .header("Location", "/admin/tokens/" + token.id())
                .header("Cache-Control", "no-store")
                .body(new IssuedTokenView(
                        token.id(), token.name(), ApiTokenAuthentication.scopesOf(token), token.createdAt(), secret));
    }

    @Operation(summary = "List every token, newest first, revoked ones included; never their secrets")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    List<TokenView> list() {
        return tokens.list().stream().map(TokenView::of).toList();
    }

    @Operation(summary = "Read one token; never its secret")
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    TokenView get(@PathVariable String id) {
        return tokens.find(parseId(id)).map(TokenView::of).orElseThrow(() -> notFound(id));
    }

    @Operation(
            summary = "Revoke a token",
            description = "Requests with it fail at once, on every API pod. Revoking a revoked token again is"
                    + " harmless. The token stays listed, with its revocation time.")
    @ApiResponse(responseCode = "200", description = "Revoked")
    @DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    TokenView revoke(@PathVariable String id) {
        return tokens.revoke(parseId(id)).map(TokenView::of).orElseThrow(() -> notFound(id));
    }

    private static String name(JsonNode body, List<Violation> violations) {
        if (body == null || !body.isObject()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE, "", "the body must be a JSON object with 'name' and 'scopes'"));
            return null;
        }
        for (String field : body.propertyNames()) {
            if (!field.equals("name") && !field.equals("scopes")) {
                violations.add(new Violation(
                        ViolationKind.UNKNOWN_FIELD, "/" + field, "a token has only 'name' and 'scopes'"));
            }
        }
        JsonNode name = body.get("name");
        if (name == null
                || name.isNull()
                || (name.isString() && name.stringValue().isBlank())) {
            violations.add(new Violation(
                    ViolationKind.MISSING_FIELD, "/name", "a token needs a name that says who or what uses it"));
            return null;
        }
        if (!name.isString()) {
            violations.add(new Violation(ViolationKind.INVALID_TYPE, "/name", "'name' must be a string"));
            return null;
        }
        String value = name.stringValue().strip();
        if (value.codePointCount(0, value.length()) > MAX_NAME_LENGTH) {
            violations.add(new Violation(
                    ViolationKind.OUT_OF_RANGE,
                    "/name",
                    "'name' has at most %d characters".formatted(MAX_NAME_LENGTH)));
        }
        return value;
    }

    private static Set<Scope> scopes(JsonNode body, List<Violation> violations) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (body == null || !body.isObject()) {
            return scopes;
        }
        JsonNode values = body.get("scopes");
        if (values == null || values.isNull() || (values.isArray() && values.isEmpty())) {
            violations.add(new Violation(
                    ViolationKind.MISSING_FIELD, "/scopes", "a token needs at least one scope: read, submit, admin"));
            return scopes;
        }
        if (!values.isArray()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE, "/scopes", "'scopes' must be an array such as [\"read\", \"submit\"]"));
            return scopes;
        }
        for (int i = 0; i < values.size(); i++) {
            JsonNode value = values.get(i);
            var scope = value.isString() ? Scope.parse(value.stringValue()) : Optional.<Scope>empty();
            if (scope.isEmpty()) {
                violations.add(new Violation(
                        ViolationKind.INVALID_VALUE, "/scopes/" + i, "a scope is one of read, submit, admin"));
            } else {
                scopes.add(scope.get());
            }
        }
        return scopes;
    }

    private static UUID parseId(String id) {
        return RequestParameters.uuid(id).orElseThrow(() -> notFound(id));
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(ProblemKind.NOT_FOUND, "there is no token with id '%s'".formatted(id));
    }
}
