package ai.assay.api.leaderboard;

import ai.assay.core.leaderboard.LeaderboardStore;

/**
 * Reads the leaderboard generation for concurrent requests with as few queries as freshness allows: a request waits
 * for a read that starts after it arrived, and every request that arrives while one read runs shares the next. So
 * each request sees every aggregation committed before it arrived (a client that ended an evaluation and then asks
 * sees it), while 50 concurrent requests cost a handful of queries instead of 50.
 */
final class FreshGeneration {

    private final LeaderboardStore store;
    private Batch next;
    private boolean reading;

    FreshGeneration(LeaderboardStore store) {
        this.store = store;
    }

    private static final class Batch {
        boolean done;
        long generation;
        RuntimeException failure;
    }

    long read() {
        Batch mine;
        synchronized (this) {
            if (next == null) {
                next = new Batch();
            }
            mine = next;
            while (reading && !mine.done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading the leaderboard generation", e);
                }
            }
            if (mine.done) {
                return result(mine);
            }
            next = null;
            reading = true;
        }
        long generation = 0;
        RuntimeException failure = null;
        try {
            generation = store.generation();
        } catch (RuntimeException e) {
            failure = e;
        }
        synchronized (this) {
            mine.generation = generation;
            mine.failure = failure;
            mine.done = true;
            reading = false;
            notifyAll();
            return result(mine);
        }
    }

    private static long result(Batch batch) {
        if (batch.failure != null) {
            throw batch.failure;
        }
        return batch.generation;
    }
}
