package ai.assay.core.leaderboard;

import static ai.assay.core.jdbc.ResultSets.instant;
import static ai.assay.core.jdbc.ResultSets.nullableDouble;
import static ai.assay.core.jdbc.ResultSets.nullableInt;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.json.JsonColumns;
import ai.assay.reference.alpacaeval.metrics.GlmWeights;
import ai.assay.reference.statistics.BootstrapScheme;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * The SQL of the leaderboard aggregates (V4): what the aggregator reads from an ended evaluation and writes, and what
 * leaderboards and comparisons read back.
 */
@Repository
public class LeaderboardStore {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
    private static final TypeReference<List<MetricValue>> METRICS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonColumns json;

    public LeaderboardStore(JdbcClient jdbc, JsonColumns json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    // ---- the aggregation's reads -------------------------------------------------------------------------------

    record EndedEvaluation(UUID id, String modelName, Map<String, String> labels, Instant finishedAt) {}

    record SucceededTask(long id, String name, String annotatorOption) {}

    record Judgment(
            String exampleId,
            Double preference,
            int baselineLength,
            int modelLength,
            long referenceHash,
            String generator1,
            String generator2) {}

    Optional<EndedEvaluation> endedEvaluation(UUID id) {
        return jdbc.sql("SELECT id, model_name, labels::text AS labels, finished_at FROM evaluation"
                        + " WHERE id = :id AND finished_at IS NOT NULL")
                .param("id", id)
                .query((rs, row) -> new EndedEvaluation(
                        rs.getObject("id", UUID.class),
                        rs.getString("model_name"),
                        json.mapper().readValue(rs.getString("labels"), STRING_MAP),
                        instant(rs, "finished_at")))
                .optional();
    }

    List<SucceededTask> succeededTasks(UUID evaluationId) {
        return jdbc.sql("SELECT id, name, options ->> 'annotator' AS annotator FROM evaluation_task"
                        + " WHERE evaluation_id = :id AND state = 'succeeded' ORDER BY position")
                .param("id", evaluationId)
                .query((rs, row) ->
                        new SucceededTask(rs.getLong("id"), rs.getString("name"), rs.getString("annotator")))
                .list();
    }

    List<MetricValue> metricValues(long taskId) {
        return jdbc.sql("SELECT * FROM metric_value WHERE task_id = :id ORDER BY metric, filter")
                .param("id", taskId)
                .query((rs, row) -> new MetricValue(
                        rs.getString("metric"),
                        rs.getString("filter"),
                        rs.getDouble("value"),
                        nullableDouble(rs, "stderr"),
                        nullableInt(rs, "n")))
                .list();
    }

    /** The annotators that judged the task, the most frequent first. */
    List<String> annotators(long taskId) {
        return jdbc.sql("SELECT annotator FROM judgment WHERE task_id = :id GROUP BY annotator"
                        + " ORDER BY count(*) DESC, annotator")
                .param("id", taskId)
                .query(String.class)
                .list();
    }

    /** Lengths and hashes are computed in the database, so the outputs themselves never leave it. */
    List<Judgment> judgments(long taskId, String annotator) {
        return jdbc.sql("""
                SELECT example_id, preference, char_length(output_1) AS baseline_length,
                       char_length(output_2) AS model_length, left(md5(output_1), 16) AS reference_hash,
                       generator_1, generator_2
                  FROM judgment
                 WHERE task_id = :id AND annotator = :annotator
                """)
                .param("id", taskId)
                .param("annotator", annotator)
                .query((rs, row) -> new Judgment(
                        rs.getString("example_id"),
                        nullableDouble(rs, "preference"),
                        rs.getInt("baseline_length"),
                        rs.getInt("model_length"),
                        Long.parseUnsignedLong(rs.getString("reference_hash"), 16),
                        rs.getString("generator_1"),
                        rs.getString("generator_2")))
                .list();
    }

    /** Calls {@code consumer} with each sample's doc id and scores, by ascending doc id. */
    void sampleScores(long taskId, BiConsumer<Integer, JsonNode> consumer) {
        jdbc.sql("SELECT doc_id, scores::text AS scores FROM sample_score WHERE task_id = :id ORDER BY doc_id")
                .param("id", taskId)
                .query(rs -> {
                    consumer.accept(rs.getInt("doc_id"), json.read(rs.getString("scores")));
                });
    }

    // ---- the aggregation's writes ------------------------------------------------------------------------------

    void deleteEntries(UUID evaluationId) {
        jdbc.sql("DELETE FROM leaderboard_entry WHERE evaluation_id = :id")
                .param("id", evaluationId)
                .update();
    }

    void insertEntry(LeaderboardEntry entry) {
        jdbc.sql("""
                INSERT INTO leaderboard_entry (task_id, evaluation_id, model_name, task, annotator, labels,
                                               finished_at, metrics, note)
                VALUES (:taskId, :evaluationId, :modelName, :task, :annotator, CAST(:labels AS jsonb),
                        :finishedAt, CAST(:metrics AS jsonb), :note)
                """)
                .param("taskId", entry.taskId())
                .param("evaluationId", entry.evaluationId())
                .param("modelName", entry.modelName())
                .param("task", entry.task())
                .param("annotator", entry.annotator())
                .param("labels", json.write(entry.labels()))
                .param("finishedAt", java.sql.Timestamp.from(entry.finishedAt()))
                .param("metrics", json.write(entry.metrics()))
                .param("note", entry.note())
                .update();
    }

    void insertJudged(long taskId, JudgedExamples examples, HeadToHeadReplicates replicates) {
        GlmWeights weights = replicates.weights();
        jdbc.sql("""
                INSERT INTO leaderboard_judged_examples (task_id, example_count, example_set_hash, example_ids,
                        preferences, baseline_lengths, model_lengths, difficulties, reference_hashes,
                        baseline_is_model, resamples, seed, win_rate_replicates, lc_replicates, lc_c,
                        lc_theta_length, lc_gamma, lc_theta_model)
                VALUES (:taskId, :count, :hash, :ids, :preferences, :baselineLengths, :modelLengths, :difficulties,
                        :referenceHashes, :baselineIsModel, :resamples, :seed, :winRate, :lengthControlled, :c,
                        :thetaLength, :gamma, :thetaModel)
                """)
                .param("taskId", taskId)
                .param("count", examples.size())
                .param("hash", examples.setHash())
                .param("ids", examples.keys())
                .param("preferences", PackedArrays.doubles(examples.preferences()))
                .param("baselineLengths", PackedArrays.ints(examples.baselineLengths()))
                .param("modelLengths", PackedArrays.ints(examples.modelLengths()))
                .param(
                        "difficulties",
                        examples.difficulties() == null ? null : PackedArrays.doubles(examples.difficulties()))
                .param("referenceHashes", PackedArrays.longs(examples.referenceHashes()))
                .param("baselineIsModel", examples.baselineIsModel())
                .param("resamples", replicates.scheme().resamples())
                .param("seed", replicates.scheme().seed())
                .param("winRate", PackedArrays.floats(replicates.winRate()))
                .param(
                        "lengthControlled",
                        replicates.lengthControlled() == null
                                ? null
                                : PackedArrays.floats(replicates.lengthControlled()))
                .param("c", replicates.c())
                .param("thetaLength", weights == null ? null : weights.thetaLength())
                .param("gamma", weights == null ? null : weights.gamma())
                .param("thetaModel", weights == null ? null : weights.thetaModel())
                .update();
    }

    void insertScored(long taskId, List<ScoredExamples> series) {
        for (ScoredExamples s : series) {
            jdbc.sql("""
                    INSERT INTO leaderboard_scored_examples (task_id, metric, filter, doc_count, doc_ids, is_binary,
                                                             doc_values)
                    VALUES (:taskId, :metric, :filter, :count, :ids, :binary, :values)
                    """)
                    .param("taskId", taskId)
                    .param("metric", s.metric())
                    .param("filter", s.filter())
                    .param("count", s.size())
                    .param("ids", PackedArrays.idSet(s.docIds()))
                    .param("binary", s.binary())
                    .param("values", s.binary() ? PackedArrays.bits(s.values()) : PackedArrays.doubles(s.values()))
                    .update();
        }
    }

    void bumpGeneration() {
        jdbc.sql("UPDATE leaderboard_generation SET generation = generation + 1")
                .update();
    }

    // ---- reads for leaderboards and comparisons ----------------------------------------------------------------

    /** Changes whenever an aggregation commits. */
    public long generation() {
        return jdbc.sql("SELECT generation FROM leaderboard_generation")
                .query(Long.class)
                .single();
    }

    /**
     * Entries whose evaluation has every given label, of one task when {@code task} is not null.
     */
    public List<LeaderboardEntry> entries(Map<String, String> labels, String task) {
        StringBuilder sql = new StringBuilder("SELECT * FROM leaderboard_entry WHERE true");
        Map<String, Object> params = new HashMap<>();
        if (!labels.isEmpty()) {
            sql.append(" AND labels @> CAST(:labels AS jsonb)");
            params.put("labels", json.write(labels));
        }
        if (task != null) {
            sql.append(" AND task = :task");
            params.put("task", task);
        }
        sql.append(" ORDER BY finished_at DESC, evaluation_id, task");
        return jdbc.sql(sql.toString()).params(params).query(this::mapEntry).list();
    }

    public List<LeaderboardEntry> entriesOf(UUID evaluationId) {
        return jdbc.sql("SELECT * FROM leaderboard_entry WHERE evaluation_id = :id ORDER BY task")
                .param("id", evaluationId)
                .query(this::mapEntry)
                .list();
    }

    /** The newest evaluation of the model that has an entry (for the task, when not null). */
    public Optional<UUID> latestEvaluation(String modelName, String task) {
        return jdbc.sql("SELECT evaluation_id FROM leaderboard_entry WHERE model_name = :model"
                        + (task == null ? "" : " AND task = :task")
                        + " ORDER BY finished_at DESC, evaluation_id LIMIT 1")
                .param("model", modelName)
                .params(task == null ? Map.of() : Map.of("task", task))
                .query(UUID.class)
                .optional();
    }

    /** The replicates of judged entries, without their examples. */
    public Map<Long, StoredJudgedExamples> judgedReplicates(Collection<Long> taskIds) {
        return judged(taskIds, false);
    }

    /** The examples and replicates of judged entries. */
    public Map<Long, StoredJudgedExamples> judgedExamples(Collection<Long> taskIds) {
        return judged(taskIds, true);
    }

    private Map<Long, StoredJudgedExamples> judged(Collection<Long> taskIds, boolean withExamples) {
        Map<Long, StoredJudgedExamples> result = new HashMap<>();
        if (taskIds.isEmpty()) {
            return result;
        }
        String columns = withExamples
                ? "*"
                : "task_id, example_count, example_set_hash, baseline_is_model, resamples, seed, win_rate_replicates,"
                        + " lc_replicates, lc_c, lc_theta_length, lc_gamma, lc_theta_model";
        jdbc.sql("SELECT " + columns + " FROM leaderboard_judged_examples WHERE task_id IN (:ids)")
                .param("ids", taskIds)
                .query(rs -> {
                    StoredJudgedExamples stored = mapJudged(rs, withExamples);
                    result.put(stored.taskId(), stored);
                });
        return result;
    }

    /** Per-document series of benchmark entries, all metrics or one. */
    public Map<Long, List<ScoredExamples>> scoredExamples(Collection<Long> taskIds, String metric, String filter) {
        Map<Long, List<ScoredExamples>> result = new LinkedHashMap<>();
        if (taskIds.isEmpty()) {
            return result;
        }
        String sql = "SELECT * FROM leaderboard_scored_examples WHERE task_id IN (:ids)"
                + (metric == null ? "" : " AND metric = :metric AND filter = :filter")
                + " ORDER BY task_id, metric, filter";
        Map<String, Object> params = new HashMap<>();
        params.put("ids", taskIds);
        if (metric != null) {
            params.put("metric", metric);
            params.put("filter", filter);
        }
        jdbc.sql(sql).params(params).query(rs -> {
            int count = rs.getInt("doc_count");
            boolean binary = rs.getBoolean("is_binary");
            byte[] values = rs.getBytes("doc_values");
            result.computeIfAbsent(rs.getLong("task_id"), k -> new ArrayList<>())
                    .add(new ScoredExamples(
                            rs.getString("metric"),
                            rs.getString("filter"),
                            PackedArrays.idSet(rs.getBytes("doc_ids")),
                            binary ? PackedArrays.bits(values, count) : PackedArrays.doubles(values),
                            binary));
        });
        return result;
    }

    /** What a comparison shows of one judged example. */
    public record JudgedExample(
            String exampleId,
            String instruction,
            String reference,
            String output,
            Double preference,
            boolean modelShownFirst,
            JsonNode rawCompletion) {}

    public Map<String, JudgedExample> judgedExamples(long taskId, String annotator, Collection<String> exampleIds) {
        Map<String, JudgedExample> result = new HashMap<>();
        if (exampleIds.isEmpty()) {
            return result;
        }
        jdbc.sql("""
                SELECT example_id, instruction, output_1, output_2, preference, model_shown_first,
                       raw_completion::text AS raw_completion
                  FROM judgment
                 WHERE task_id = :id AND annotator = :annotator AND example_id IN (:examples)
                """)
                .param("id", taskId)
                .param("annotator", annotator)
                .param("examples", exampleIds)
                .query(rs -> {
                    result.put(
                            rs.getString("example_id"),
                            new JudgedExample(
                                    rs.getString("example_id"),
                                    rs.getString("instruction"),
                                    rs.getString("output_1"),
                                    rs.getString("output_2"),
                                    nullableDouble(rs, "preference"),
                                    rs.getBoolean("model_shown_first"),
                                    json.read(rs.getString("raw_completion"))));
                });
        return result;
    }

    /** The lm-eval sample records of some documents of a benchmark task. */
    public Map<Integer, JsonNode> sampleRecords(long taskId, Collection<Integer> docIds) {
        Map<Integer, JsonNode> result = new HashMap<>();
        if (docIds.isEmpty()) {
            return result;
        }
        jdbc.sql("SELECT doc_id, record::text AS record FROM sample_score WHERE task_id = :id AND doc_id IN (:docs)")
                .param("id", taskId)
                .param("docs", docIds)
                .query(rs -> {
                    result.put(rs.getInt("doc_id"), json.read(rs.getString("record")));
                });
        return result;
    }

    private LeaderboardEntry mapEntry(ResultSet rs, int row) throws SQLException {
        return new LeaderboardEntry(
                rs.getLong("task_id"),
                rs.getObject("evaluation_id", UUID.class),
                rs.getString("model_name"),
                rs.getString("task"),
                rs.getString("annotator"),
                json.mapper().readValue(rs.getString("labels"), STRING_MAP),
                instant(rs, "finished_at"),
                json.mapper().readValue(rs.getString("metrics"), METRICS),
                rs.getString("note"));
    }

    private static StoredJudgedExamples mapJudged(ResultSet rs, boolean withExamples) throws SQLException {
        long taskId = rs.getLong("task_id");
        JudgedExamples examples = null;
        if (withExamples) {
            Array ids = rs.getArray("example_ids");
            String[] keys = (String[]) ids.getArray();
            byte[] difficulties = rs.getBytes("difficulties");
            examples = new JudgedExamples(
                    keys,
                    PackedArrays.doubles(rs.getBytes("preferences")),
                    PackedArrays.ints(rs.getBytes("baseline_lengths")),
                    PackedArrays.ints(rs.getBytes("model_lengths")),
                    difficulties == null ? null : PackedArrays.doubles(difficulties),
                    PackedArrays.longs(rs.getBytes("reference_hashes")),
                    rs.getBoolean("baseline_is_model"));
        }
        byte[] lc = rs.getBytes("lc_replicates");
        Double c = nullableDouble(rs, "lc_c");
        Double thetaLength = nullableDouble(rs, "lc_theta_length");
        GlmWeights weights = thetaLength == null
                ? null
                : new GlmWeights(thetaLength, rs.getDouble("lc_gamma"), rs.getDouble("lc_theta_model"));
        HeadToHeadReplicates replicates = new HeadToHeadReplicates(
                new BootstrapScheme(rs.getInt("resamples"), rs.getLong("seed")),
                PackedArrays.floats(rs.getBytes("win_rate_replicates")),
                lc == null ? null : PackedArrays.floats(lc),
                c,
                weights,
                null);
        return new StoredJudgedExamples(
                taskId, rs.getInt("example_count"), rs.getString("example_set_hash"), examples, replicates);
    }
}
