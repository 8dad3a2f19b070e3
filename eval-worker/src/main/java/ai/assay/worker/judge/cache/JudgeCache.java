package ai.assay.worker.judge.cache;

import static ai.assay.core.jdbc.ResultSets.nullableInt;

import ai.assay.core.json.JsonColumns;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Judge answers shared by all evaluations and workers ({@code judge_cache}). Only answers that parsed into a
 * preference are stored, as alpaca_eval caches only parsable annotations: an unparsable answer leaves no entry, so
 * its re-ask within the run (the identical request, under the same key) and the next run ask the judge again rather
 * than read it back. Thread-safe.
 */
@Repository
public class JudgeCache {

    private static final int CHUNK = 500;

    private final JdbcClient jdbc;
    private final JsonColumns json;

    public JudgeCache(JdbcClient jdbc, JsonColumns json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The cached answers among these keys. */
    public Map<String, CachedCompletion> find(Collection<String> keys) {
        Map<String, CachedCompletion> found = new HashMap<>();
        for (List<String> chunk : chunks(keys)) {
            jdbc.sql("""
                    SELECT cache_key, raw_completion::text AS raw, prompt_tokens, completion_tokens, cost_usd,
                           latency_ms
                      FROM judge_cache
                     WHERE cache_key IN (:keys) AND key_version = :version
                    """)
                    .param("keys", chunk)
                    .param("version", JudgeCacheKey.VERSION)
                    .query(rs -> {
                        found.put(
                                rs.getString("cache_key"),
                                new CachedCompletion(
                                        rs.getString("cache_key"),
                                        json.read(rs.getString("raw")),
                                        nullableInt(rs, "prompt_tokens"),
                                        nullableInt(rs, "completion_tokens"),
                                        rs.getBigDecimal("cost_usd"),
                                        nullableInt(rs, "latency_ms")));
                    });
        }
        return found;
    }

    /** Counts a use of each of these cached answers. */
    public void recordHits(Collection<String> keys) {
        for (List<String> chunk : chunks(keys)) {
            jdbc.sql("UPDATE judge_cache SET hits = hits + 1, last_hit_at = now() WHERE cache_key IN (:keys)")
                    .param("keys", chunk)
                    .update();
        }
    }

    /** Stores an answer, replacing one under the same key (an older answer the current parser cannot read). */
    public void put(String annotator, String judgeModel, CachedCompletion completion) {
        BigDecimal cost =
                completion.costUsd() == null ? null : completion.costUsd().setScale(6, RoundingMode.HALF_EVEN);
        jdbc.sql("""
                INSERT INTO judge_cache (cache_key, key_version, annotator, judge_model, raw_completion, prompt_tokens,
                                         completion_tokens, cost_usd, latency_ms)
                VALUES (:key, :version, :annotator, :model, CAST(:raw AS jsonb), :promptTokens, :completionTokens,
                        :cost, :latency)
                ON CONFLICT (cache_key) DO UPDATE
                   SET key_version = EXCLUDED.key_version, annotator = EXCLUDED.annotator,
                       judge_model = EXCLUDED.judge_model, raw_completion = EXCLUDED.raw_completion,
                       prompt_tokens = EXCLUDED.prompt_tokens, completion_tokens = EXCLUDED.completion_tokens,
                       cost_usd = EXCLUDED.cost_usd, latency_ms = EXCLUDED.latency_ms, created_at = now()
                """)
                .param("key", completion.cacheKey())
                .param("version", JudgeCacheKey.VERSION)
                .param("annotator", annotator)
                .param("model", judgeModel)
                .param("raw", json.write(completion.rawCompletion()))
                .param("promptTokens", completion.promptTokens())
                .param("completionTokens", completion.completionTokens())
                .param("cost", cost)
                .param("latency", completion.latencyMillis())
                .update();
    }

    private static List<List<String>> chunks(Collection<String> keys) {
        List<String> all = new ArrayList<>(keys);
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            chunks.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return chunks;
    }
}
