package ai.assay.core.results;

import static ai.assay.core.jdbc.ResultSets.nullableDouble;
import static ai.assay.core.jdbc.ResultSets.nullableInt;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.json.JsonColumns;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

/**
 * The SQL of a task's results: generations, judgments, sample scores, metrics and the task's result document.
 * Inserts keep a row that is already there (the primary key is the example), which is what makes resumed jobs
 * skip finished work. The worker fences every write with the job's lease; imports write finished evaluations.
 */
@Repository
public class TaskResultRepository {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final JsonColumns json;

    public TaskResultRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batch, JsonColumns json) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
    }

    public Map<String, StoredGeneration> generations(long taskId) {
        Map<String, StoredGeneration> rows = new LinkedHashMap<>();
        jdbc.sql("SELECT * FROM generation WHERE task_id = :taskId ORDER BY created_at, example_id")
                .param("taskId", taskId)
                .query(rs -> {
                    rows.put(
                            rs.getString("example_id"),
                            new StoredGeneration(
                                    rs.getString("example_id"),
                                    rs.getString("prompt"),
                                    rs.getString("output"),
                                    nullableInt(rs, "prompt_tokens"),
                                    nullableInt(rs, "output_tokens"),
                                    rs.getString("finish_reason"),
                                    nullableInt(rs, "latency_ms"),
                                    rs.getInt("attempt")));
                });
        return rows;
    }

    public void insertGenerations(long taskId, int attempt, List<NewGeneration> generations) {
        SqlParameterSource[] rows = generations.stream()
                .map(g -> new MapSqlParameterSource()
                        .addValue("taskId", taskId)
                        .addValue("exampleId", g.exampleId())
                        .addValue("prompt", g.prompt())
                        .addValue("output", g.output())
                        .addValue("promptTokens", g.promptTokens())
                        .addValue("outputTokens", g.outputTokens())
                        .addValue("finishReason", g.finishReason())
                        .addValue("latencyMs", g.latencyMillis())
                        .addValue("attempt", attempt))
                .toArray(SqlParameterSource[]::new);
        batch.batchUpdate("""
                INSERT INTO generation (task_id, example_id, prompt, output, prompt_tokens, output_tokens,
                                        finish_reason, latency_ms, attempt)
                VALUES (:taskId, :exampleId, :prompt, :output, :promptTokens, :outputTokens, :finishReason,
                        :latencyMs, :attempt)
                ON CONFLICT (task_id, example_id) DO NOTHING
                """, rows);
    }

    public Map<String, StoredJudgment> judgments(long taskId, String annotator) {
        Map<String, StoredJudgment> rows = new LinkedHashMap<>();
        jdbc.sql("SELECT * FROM judgment WHERE task_id = :taskId AND annotator = :annotator ORDER BY created_at")
                .param("taskId", taskId)
                .param("annotator", annotator)
                .query(rs -> {
                    rows.put(
                            rs.getString("example_id"),
                            new StoredJudgment(
                                    rs.getString("example_id"),
                                    rs.getString("annotator"),
                                    rs.getString("instruction"),
                                    rs.getString("output_1"),
                                    rs.getString("generator_1"),
                                    rs.getString("output_2"),
                                    rs.getString("generator_2"),
                                    rs.getBoolean("model_shown_first"),
                                    nullableDouble(rs, "preference"),
                                    json.read(rs.getString("raw_completion")),
                                    nullableInt(rs, "prompt_tokens"),
                                    nullableInt(rs, "completion_tokens"),
                                    rs.getBigDecimal("cost_usd"),
                                    rs.getBoolean("cache_hit"),
                                    nullableInt(rs, "latency_ms"),
                                    rs.getInt("attempt")));
                });
        return rows;
    }

    /**
     * Stores judgments. A stored judgment is kept, except one whose completion could not be parsed (null
     * preference): that one is a failure to retry, so a new verdict replaces it.
     */
    public void insertJudgments(long taskId, int attempt, List<NewJudgment> judgments) {
        SqlParameterSource[] rows = judgments.stream()
                .map(j -> new MapSqlParameterSource()
                        .addValue("taskId", taskId)
                        .addValue("exampleId", j.exampleId())
                        .addValue("annotator", j.annotator())
                        .addValue("instruction", j.instruction())
                        .addValue("output1", j.output1())
                        .addValue("generator1", j.generator1())
                        .addValue("output2", j.output2())
                        .addValue("generator2", j.generator2())
                        .addValue("modelShownFirst", j.modelShownFirst())
                        .addValue("preference", j.preference())
                        .addValue("rawCompletion", json.write(j.rawCompletion()))
                        .addValue("promptTokens", j.promptTokens())
                        .addValue("completionTokens", j.completionTokens())
                        .addValue("costUsd", j.costUsd())
                        .addValue("cacheHit", j.cacheHit())
                        .addValue("latencyMs", j.latencyMillis())
                        .addValue("attempt", attempt))
                .toArray(SqlParameterSource[]::new);
        batch.batchUpdate("""
                INSERT INTO judgment (task_id, example_id, annotator, instruction, output_1, generator_1, output_2,
                                      generator_2, model_shown_first, preference, raw_completion, prompt_tokens,
                                      completion_tokens, cost_usd, cache_hit, latency_ms, attempt)
                VALUES (:taskId, :exampleId, :annotator, :instruction, :output1, :generator1, :output2, :generator2,
                        :modelShownFirst, :preference, CAST(:rawCompletion AS jsonb), :promptTokens,
                        :completionTokens, :costUsd, :cacheHit, :latencyMs, :attempt)
                ON CONFLICT (task_id, example_id, annotator) DO UPDATE
                   SET output_1 = excluded.output_1, generator_1 = excluded.generator_1,
                       output_2 = excluded.output_2, generator_2 = excluded.generator_2,
                       model_shown_first = excluded.model_shown_first, preference = excluded.preference,
                       raw_completion = excluded.raw_completion, prompt_tokens = excluded.prompt_tokens,
                       completion_tokens = excluded.completion_tokens, cost_usd = excluded.cost_usd,
                       cache_hit = excluded.cache_hit, latency_ms = excluded.latency_ms, attempt = excluded.attempt,
                       created_at = now()
                 WHERE judgment.preference IS NULL
                """, rows);
    }

    public Map<Integer, StoredSampleScore> sampleScores(long taskId) {
        Map<Integer, StoredSampleScore> rows = new LinkedHashMap<>();
        jdbc.sql("SELECT * FROM sample_score WHERE task_id = :taskId ORDER BY doc_id")
                .param("taskId", taskId)
                .query(rs -> {
                    rows.put(
                            rs.getInt("doc_id"),
                            new StoredSampleScore(
                                    rs.getInt("doc_id"),
                                    json.read(rs.getString("record")),
                                    json.read(rs.getString("scores")),
                                    rs.getInt("attempt")));
                });
        return rows;
    }

    public void insertSampleScores(long taskId, int attempt, List<NewSampleScore> scores) {
        SqlParameterSource[] rows = scores.stream()
                .map(s -> new MapSqlParameterSource()
                        .addValue("taskId", taskId)
                        .addValue("docId", s.docId())
                        .addValue("record", json.write(s.record()))
                        .addValue("scores", json.write(s.scores()))
                        .addValue("attempt", attempt))
                .toArray(SqlParameterSource[]::new);
        batch.batchUpdate("""
                INSERT INTO sample_score (task_id, doc_id, record, scores, attempt)
                VALUES (:taskId, :docId, CAST(:record AS jsonb), CAST(:scores AS jsonb), :attempt)
                ON CONFLICT (task_id, doc_id) DO NOTHING
                """, rows);
    }

    public void replaceMetrics(long taskId, List<MetricValue> metrics) {
        jdbc.sql("DELETE FROM metric_value WHERE task_id = :taskId")
                .param("taskId", taskId)
                .update();
        SqlParameterSource[] rows = metrics.stream()
                .map(m -> new MapSqlParameterSource()
                        .addValue("taskId", taskId)
                        .addValue("metric", m.metric())
                        .addValue("filter", m.filter())
                        .addValue("value", m.value())
                        .addValue("stderr", m.stderr())
                        .addValue("n", m.n()))
                .toArray(SqlParameterSource[]::new);
        batch.batchUpdate("""
                INSERT INTO metric_value (task_id, metric, filter, value, stderr, n)
                VALUES (:taskId, :metric, :filter, :value, :stderr, :n)
                """, rows);
    }

    public void saveResult(long taskId, JsonNode result) {
        jdbc.sql("UPDATE evaluation_task SET result = CAST(:result AS jsonb), updated_at = now() WHERE id = :taskId")
                .param("result", json.write(result))
                .param("taskId", taskId)
                .update();
    }
}
