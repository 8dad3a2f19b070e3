package ai.assay.core.leaderboard;

import ai.assay.reference.alpacaeval.HeadToHeadAnnotation;
import ai.assay.reference.alpacaeval.metrics.AlpacaEvalMetrics;
import ai.assay.reference.alpacaeval.metrics.AlpacaEvalScores;
import ai.assay.reference.alpacaeval.metrics.LengthControlledWinRate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes evaluations the way the workers will: an {@code alpaca_eval} task with judgments, generations and the
 * AlpacaEval metrics, or benchmark tasks with per-document sample scores and their means, then ends the evaluation
 * through {@code ender} (which must call the end listeners in the ending transaction).
 */
public final class LeaderboardTestData {

    public static final String ANNOTATOR = "weighted_alpaca_eval_gpt4_turbo";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final LengthControlledWinRate lengthControl;
    private final Consumer<UUID> ender;

    public LeaderboardTestData(JdbcClient jdbc, LengthControlledWinRate lengthControl, Consumer<UUID> ender) {
        this.jdbc = jdbc;
        this.lengthControl = lengthControl;
        this.ender = ender;
    }

    /** A running evaluation with the given tasks (all queued). */
    public UUID startEvaluation(String model, Map<String, String> labels, List<String> tasks) {
        UUID id = jdbc.sql("""
                INSERT INTO evaluation (model_name, model_uri, spec, labels, state, lease_owner, lease_expires_at,
                                        attempt, started_at)
                VALUES (:model, :uri, '{}', CAST(:labels AS jsonb), 'running', 'test-worker',
                        now() + interval '1 hour', 1, now())
                RETURNING id
                """)
                .param("model", model)
                .param("uri", "file:///models/" + model)
                .param("labels", JSON.writeValueAsString(labels))
                .query(UUID.class)
                .single();
        for (int position = 0; position < tasks.size(); position++) {
            jdbc.sql("""
                    INSERT INTO evaluation_task (evaluation_id, position, name, options)
                    VALUES (:id, :position, :name, CAST(:options AS jsonb))
                    """)
                    .param("id", id)
                    .param("position", position)
                    .param("name", tasks.get(position))
                    .param(
                            "options",
                            tasks.get(position).equals("alpaca_eval") ? "{\"annotator\": \"" + ANNOTATOR + "\"}" : "{}")
                    .update();
        }
        return id;
    }

    public long taskId(UUID evaluation, String task) {
        return jdbc.sql("SELECT id FROM evaluation_task WHERE evaluation_id = :id AND name = :name")
                .param("id", evaluation)
                .param("name", task)
                .query(Long.class)
                .single();
    }

    /** An evaluation of one model on AlpacaEval: annotation i is example i. */
    public UUID alpacaEval(String model, List<HeadToHeadAnnotation> annotations, Map<String, String> labels) {
        UUID id = startEvaluation(model, labels, List.of("alpaca_eval"));
        long task = taskId(id, "alpaca_eval");
        writeJudgments(task, model, annotations, ANNOTATOR);
        AlpacaEvalScores scores = new AlpacaEvalMetrics(lengthControl).score(annotations);
        writeAlpacaMetrics(task, scores);
        finishTask(task);
        end(id);
        return id;
    }

    /** One statement for all rows: the test databases have no connection pool. */
    public void writeJudgments(long task, String model, List<HeadToHeadAnnotation> annotations, String annotator) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < annotations.size(); i++) {
            HeadToHeadAnnotation a = annotations.get(i);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("example_id", Integer.toString(i));
            row.put("instruction", a.instruction());
            row.put("output_1", a.output1());
            row.put("generator_1", a.generator1());
            row.put("output_2", a.output2());
            row.put("generator_2", a.generator2());
            row.put("model_shown_first", i % 2 == 0);
            row.put("preference", a.preference());
            rows.add(row);
        }
        String json = JSON.writeValueAsString(rows);
        jdbc.sql("""
                INSERT INTO judgment (task_id, example_id, annotator, instruction, output_1, generator_1, output_2,
                                      generator_2, model_shown_first, preference, raw_completion, attempt)
                SELECT :task, r.example_id, :annotator, r.instruction, r.output_1, r.generator_1, r.output_2,
                       r.generator_2, r.model_shown_first, r.preference, '{"text": "m"}'::jsonb, 1
                  FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(example_id text, instruction text,
                       output_1 text, generator_1 text, output_2 text, generator_2 text, model_shown_first boolean,
                       preference double precision)
                """)
                .param("task", task)
                .param("annotator", annotator)
                .param("rows", json)
                .update();
        jdbc.sql("""
                INSERT INTO generation (task_id, example_id, output, attempt)
                SELECT :task, r.example_id, r.output_2, 1
                  FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(example_id text, output_2 text)
                ON CONFLICT DO NOTHING
                """).param("task", task).param("rows", json).update();
    }

    public void writeAlpacaMetrics(long task, AlpacaEvalScores scores) {
        var wr = scores.winRate();
        var lc = scores.lengthControlled();
        metric(task, "win_rate", wr.winRate(), wr.standardError(), wr.nTotal());
        metric(task, "length_controlled_winrate", lc.winRate(), lc.standardError(), wr.nTotal());
        metric(task, "discrete_win_rate", wr.discreteWinRate(), null, wr.nTotal());
        metric(task, "avg_length", scores.averageLength(), null, wr.nTotal());
        metric(task, "n_wins", wr.nWins(), null, null);
        metric(task, "n_wins_base", wr.nWinsBase(), null, null);
        metric(task, "n_draws", wr.nDraws(), null, null);
        metric(task, "n_total", wr.nTotal(), null, null);
    }

    /**
     * An evaluation on benchmark tasks: task name to metric key ("acc", or "exact_match,strict-match") to the value
     * of each document (doc id = index). Each metric's mean and lm-eval's standard error go to metric_value.
     */
    public UUID benchmark(String model, Map<String, Map<String, double[]>> tasks, Map<String, String> labels) {
        UUID id = startEvaluation(model, labels, new ArrayList<>(tasks.keySet()));
        for (Map.Entry<String, Map<String, double[]>> task : tasks.entrySet()) {
            long taskId = taskId(id, task.getKey());
            writeSampleScores(taskId, task.getValue());
            finishTask(taskId);
        }
        end(id);
        return id;
    }

    public void writeSampleScores(long taskId, Map<String, double[]> metrics) {
        int docs = metrics.values().iterator().next().length;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int doc = 0; doc < docs; doc++) {
            Map<String, Object> scores = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> metric : metrics.entrySet()) {
                scores.put(metric.getKey(), metric.getValue()[doc]);
            }
            rows.add(Map.of(
                    "doc_id",
                    doc,
                    "scores",
                    scores,
                    "record",
                    Map.of("doc_id", doc, "resps", List.of(List.of("answer " + doc)))));
        }
        jdbc.sql("""
                INSERT INTO sample_score (task_id, doc_id, record, scores, attempt)
                SELECT :task, r.doc_id, r.record, r.scores, 1
                  FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(doc_id integer, record jsonb, scores jsonb)
                """)
                .param("task", taskId)
                .param("rows", JSON.writeValueAsString(rows))
                .update();
        for (Map.Entry<String, double[]> metric : metrics.entrySet()) {
            double[] values = metric.getValue();
            double mean = 0;
            for (double v : values) {
                mean += v;
            }
            mean /= values.length;
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            double stderr = Math.sqrt(squares / (values.length - 1)) / Math.sqrt(values.length);
            String key = metric.getKey();
            int comma = key.indexOf(',');
            metric(
                    taskId,
                    comma < 0 ? key : key.substring(0, comma),
                    comma < 0 ? "none" : key.substring(comma + 1),
                    mean,
                    stderr,
                    values.length);
        }
    }

    public void metric(long task, String metric, double value, Double stderr, Integer n) {
        metric(task, metric, "none", value, stderr, n);
    }

    public void metric(long task, String metric, String filter, double value, Double stderr, Integer n) {
        jdbc.sql("""
                INSERT INTO metric_value (task_id, metric, filter, value, stderr, n)
                VALUES (:task, :metric, :filter, :value, :stderr, :n)
                """)
                .param("task", task)
                .param("metric", metric)
                .param("filter", filter)
                .param("value", value)
                .param("stderr", stderr == null || Double.isNaN(stderr) ? null : stderr)
                .param("n", n)
                .update();
    }

    public void finishTask(long task) {
        jdbc.sql("UPDATE evaluation_task SET state = 'succeeded', started_at = now(), finished_at = now(),"
                        + " done = 1, total = 1 WHERE id = :id")
                .param("id", task)
                .update();
    }

    /** Ends the evaluation as succeeded through the ender. */
    public void end(UUID evaluation) {
        ender.accept(evaluation);
    }

    /** What a worker does at the end, without the listeners: the caller's ender adds those. */
    public static void markSucceeded(JdbcClient jdbc, UUID evaluation) {
        jdbc.sql("""
                UPDATE evaluation SET state = 'succeeded', finished_at = clock_timestamp(), lease_owner = NULL,
                                      lease_expires_at = NULL
                 WHERE id = :id
                """).param("id", evaluation).update();
    }

    /** A copy of the annotations with the preference of every example i where {@code change} says so replaced. */
    public static List<HeadToHeadAnnotation> withPreferences(
            List<HeadToHeadAnnotation> annotations, String model, java.util.function.IntFunction<Double> preferenceOf) {
        List<HeadToHeadAnnotation> copy = new ArrayList<>();
        for (int i = 0; i < annotations.size(); i++) {
            HeadToHeadAnnotation a = annotations.get(i);
            Double p = preferenceOf.apply(i);
            copy.add(new HeadToHeadAnnotation(
                    a.instruction(),
                    a.output1(),
                    a.generator1(),
                    a.output2(),
                    model,
                    p == null ? a.preference() : p,
                    a.rawCompletion()));
        }
        return copy;
    }
}
