package ai.assay.api.leaderboard;

import ai.assay.core.leaderboard.Leaderboard;
import ai.assay.core.leaderboard.LeaderboardBuilder;
import ai.assay.core.leaderboard.LeaderboardQuery;
import ai.assay.core.leaderboard.LeaderboardStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Built leaderboards, kept until the leaderboard generation changes (every evaluation end bumps it, in its
 * transaction), so a read costs at most one small query (shared by concurrent requests, {@link FreshGeneration})
 * while nothing ends. Concurrent requests for the same leaderboard
 * share one build. Rendered pages are kept with their leaderboard. Bounded: the least recently used leaderboard goes
 * first.
 */
@Component
public class LeaderboardCache {

    static final int MAX_LEADERBOARDS = 16;
    static final int MAX_RENDERINGS = 32;

    private final LeaderboardBuilder builder;
    private final FreshGeneration generations;
    private final Map<LeaderboardQuery, Cached> cache = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<LeaderboardQuery, Cached> eldest) {
            return size() > MAX_LEADERBOARDS;
        }
    };

    public LeaderboardCache(LeaderboardBuilder builder, LeaderboardStore store) {
        this.builder = builder;
        this.generations = new FreshGeneration(store);
    }

    private record Cached(long generation, CompletableFuture<Leaderboard> board, Map<Object, Object> renderings) {}

    public Leaderboard get(LeaderboardQuery query) {
        return cached(query).board().join();
    }

    /** A rendering of the leaderboard (e.g. one page as JSON), computed once per leaderboard and key. */
    @SuppressWarnings("unchecked")
    public <T> T rendering(LeaderboardQuery query, Object key, Function<Leaderboard, T> render) {
        Cached cached = cached(query);
        Leaderboard board = cached.board().join();
        synchronized (cached.renderings()) {
            Object existing = cached.renderings().get(key);
            if (existing != null) {
                return (T) existing;
            }
        }
        T rendered = render.apply(board);
        synchronized (cached.renderings()) {
            if (cached.renderings().size() < MAX_RENDERINGS) {
                cached.renderings().put(key, rendered);
            }
        }
        return rendered;
    }

    private Cached cached(LeaderboardQuery query) {
        long generation = generations.read();
        Cached cached;
        boolean build = false;
        synchronized (cache) {
            cached = cache.get(query);
            if (cached == null
                    || cached.generation() < generation
                    || cached.board().isCompletedExceptionally()) {
                cached = new Cached(generation, new CompletableFuture<>(), new LinkedHashMap<>());
                cache.put(query, cached);
                build = true;
            }
        }
        if (build) {
            try {
                cached.board().complete(builder.build(query));
            } catch (RuntimeException e) {
                cached.board().completeExceptionally(e);
                synchronized (cache) {
                    cache.remove(query, cached);
                }
            }
        }
        try {
            cached.board().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        return cached;
    }
}
