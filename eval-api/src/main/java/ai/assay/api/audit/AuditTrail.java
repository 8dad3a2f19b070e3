package ai.assay.api.audit;

import static ai.assay.core.jdbc.ResultSets.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** All SQL of the audit trail ({@code audit_event}). */
@Repository
class AuditTrail {

    private final JdbcClient jdbc;

    AuditTrail(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void record(UUID tokenId, String method, String path, int status, String target, String remoteAddress) {
        jdbc.sql("""
                INSERT INTO audit_event (token_id, method, path, status, target, remote_address)
                VALUES (:tokenId, :method, :path, :status, :target, :remoteAddress)
                """)
                .param("tokenId", tokenId)
                .param("method", method)
                .param("path", path)
                .param("status", status)
                .param("target", target)
                .param("remoteAddress", remoteAddress)
                .update();
    }

    /** Events newest first, optionally of one token. */
    List<AuditEvent> page(UUID tokenId, long offset, int size) {
        return jdbc.sql("""
                SELECT e.*, t.name AS token_name
                  FROM audit_event e
                  LEFT JOIN api_token t ON t.id = e.token_id
                 WHERE CAST(:tokenId AS uuid) IS NULL OR e.token_id = :tokenId
                 ORDER BY e.at DESC, e.id DESC
                OFFSET :offset LIMIT :size
                """)
                .param("tokenId", tokenId)
                .param("offset", offset)
                .param("size", size)
                .query(this::map)
                .list();
    }

    private AuditEvent map(ResultSet rs, int row) throws SQLException {
        return new AuditEvent(
                rs.getLong("id"),
                instant(rs, "at"),
                rs.getObject("token_id", UUID.class),
                rs.getString("token_name"),
                rs.getString("method"),
                rs.getString("path"),
                rs.getInt("status"),
                rs.getString("target"),
                rs.getString("remote_address"));
    }
}
