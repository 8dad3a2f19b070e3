package ai.assay.api.lmeval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads a task's stored per-document records and scores, in document order, page by page. */
@Repository
class SampleScoreReader {

    private static final int PAGE = 500;

    /** One stored document. */
    record StoredSample(int docId, JsonNode record, JsonNode scores) {}

    private final JdbcClient jdbc;
    private final JsonMapper mapper;

    SampleScoreReader(JdbcClient jdbc, JsonMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /**
     * Every row of the task (only those of {@code subtask} when it is not null), in {@code doc_id} order, handed
     * to {@code sink} a page at a time so that large tasks stream.
     */
    void forEach(long taskId, String subtask, Consumer<StoredSample> sink) {
        int after = -1;
        while (true) {
            List<StoredSample> page = jdbc.sql("""
                    SELECT doc_id, record::text AS record, scores::text AS scores FROM sample_score
                     WHERE task_id = :taskId AND doc_id > :after
                       AND (CAST(:subtask AS text) IS NULL OR record->>'task' = :subtask)
                     ORDER BY doc_id LIMIT :limit
                    """)
                    .param("taskId", taskId)
                    .param("after", after)
                    .param("subtask", subtask)
                    .param("limit", PAGE)
                    .query((rs, n) -> new StoredSample(
                            rs.getInt("doc_id"),
                            mapper.readTree(rs.getString("record")),
                            mapper.readTree(rs.getString("scores"))))
                    .list();
            page.forEach(sink);
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).docId();
        }
    }

    /** Each leaf task's per-document scores, in document order. */
    Map<String, List<Map<String, Double>>> scoresByTask(long taskId) {
        Map<String, List<Map<String, Double>>> scores = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT record->>'task' AS task, scores::text AS scores FROM sample_score
                 WHERE task_id = :taskId ORDER BY record->>'task', (record->>'doc_id')::int
                """).param("taskId", taskId).query(rs -> {
            Map<String, Double> values = new LinkedHashMap<>();
            mapper.readTree(rs.getString("scores"))
                    .properties()
                    .forEach(e -> values.put(e.getKey(), e.getValue().doubleValue()));
            scores.computeIfAbsent(rs.getString("task"), k -> new ArrayList<>()).add(values);
        });
        return scores;
    }
}
