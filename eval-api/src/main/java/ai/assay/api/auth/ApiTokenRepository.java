package ai.assay.api.auth;

import static ai.assay.core.jdbc.ResultSets.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** All SQL of API tokens ({@code api_token}). Secrets arrive here already hashed. */
@Repository
class ApiTokenRepository {

    private final JdbcClient jdbc;

    ApiTokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    ApiToken insert(String name, Set<Scope> scopes, byte[] secretSha256, UUID createdBy) {
        return jdbc.sql("""
                INSERT INTO api_token (name, secret_sha256, scopes, created_by)
                VALUES (:name, :hash, CAST(:scopes AS text[]), :createdBy)
                RETURNING *
                """)
                .param("name", name)
                .param("hash", secretSha256)
                .param("scopes", arrayLiteral(scopes))
                .param("createdBy", createdBy)
                .query(this::map)
                .single();
    }

    /**
     * Makes the bootstrap token the one with this hash: stores it (admin scope) unless it is there, and revokes
     * every other bootstrap token, so that changing the bootstrap secret retires the old one. A bootstrap token
     * that was revoked through the API stays revoked.
     *
     * @return whether a new token was stored
     */
    @Transactional
    boolean installBootstrap(byte[] secretSha256) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('assay.api_token.bootstrap'))")
                .query()
                .singleRow();
        jdbc.sql("""
                UPDATE api_token SET revoked_at = now()
                 WHERE bootstrap AND revoked_at IS NULL AND secret_sha256 <> :hash
                """).param("hash", secretSha256).update();
        return jdbc.sql("""
                        INSERT INTO api_token (name, secret_sha256, scopes, bootstrap)
                        VALUES ('bootstrap', :hash, ARRAY['admin'], true)
                        ON CONFLICT (secret_sha256) DO NOTHING
                        """).param("hash", secretSha256).update() == 1;
    }

    /** The valid (not revoked) token with this hash. */
    Optional<ApiToken> findValid(byte[] secretSha256) {
        return jdbc.sql("SELECT * FROM api_token WHERE secret_sha256 = :hash AND revoked_at IS NULL")
                .param("hash", secretSha256)
                .query(this::map)
                .optional();
    }

    Optional<ApiToken> find(UUID id) {
        return jdbc.sql("SELECT * FROM api_token WHERE id = :id")
                .param("id", id)
                .query(this::map)
                .optional();
    }

    /** Every token, newest first, revoked ones included. */
    List<ApiToken> list() {
        return jdbc.sql("SELECT * FROM api_token ORDER BY created_at DESC, id")
                .query(this::map)
                .list();
    }

    /** Revokes the token; revoking a revoked token changes nothing. Empty when there is no such token. */
    Optional<ApiToken> revoke(UUID id) {
        return jdbc.sql("""
                UPDATE api_token SET revoked_at = coalesce(revoked_at, now())
                 WHERE id = :id
                RETURNING *
                """).param("id", id).query(this::map).optional();
    }

    /** How precisely {@code last_used_at} is kept. */
    static final Duration USE_PRECISION = Duration.ofMinutes(1);

    /**
     * Records a use, at most once a minute per token: a write on every request would make reads cost a write
     * each, and the minute is precision enough to see which tokens are idle.
     */
    void markUsed(UUID id) {
        jdbc.sql("""
                UPDATE api_token SET last_used_at = now()
                 WHERE id = :id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
                """).param("id", id).update();
    }

    /** Whether any valid token has the admin scope. */
    boolean anyValidAdmin() {
        return jdbc.sql("SELECT exists (SELECT 1 FROM api_token WHERE revoked_at IS NULL AND 'admin' = ANY (scopes))")
                .query(Boolean.class)
                .single();
    }

    private static String arrayLiteral(Set<Scope> scopes) {
        return scopes.stream().sorted().map(Scope::value).collect(Collectors.joining(",", "{", "}"));
    }

    private ApiToken map(ResultSet rs, int row) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Arrays.stream((String[]) rs.getArray("scopes").getArray())
                .map(value -> Scope.parse(value).orElseThrow())
                .forEach(scopes::add);
        return new ApiToken(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                scopes,
                rs.getBoolean("bootstrap"),
                rs.getObject("created_by", UUID.class),
                instant(rs, "created_at"),
                instant(rs, "last_used_at"),
                instant(rs, "revoked_at"));
    }
}
