package ai.assay.worker.engine.replicas;

import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.ScoringRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * How one call's requests are split across a model's replicas: a function of the requests alone (never of timing),
 * every request in exactly one shard, each shard in the call's order.
 *
 * <p>Generation deals the prompts out longest first, one to each replica in turn, so that each replica gets prompts
 * of every length and the replicas finish at about the same time; a prompt's greedy text does not depend on which
 * prompts share its batch (the engine's batches are padded with a mask, see {@code GenerationTests}), and a sampled
 * prompt draws from its own seed, so every completion is the one a single engine writes.
 *
 * <p>Scoring keeps every request of one context on one replica: the engine runs a shared context once for all its
 * continuations, so the answer choices of a question are scored exactly as one engine scores them. The groups are
 * dealt largest first, each to the replica with the fewest tokens so far. A request scored over its whole input
 * may have other batch mates than on one engine; its padding is masked, so its log-likelihood agrees to float
 * rounding (about 1e-4, as {@code ScoringTests} checks across batch compositions) and its greedy flag is the same.
 */
public final class RequestShards {

    private RequestShards() {}

    /** Generation requests, dealt longest prompt first (ties by position) to one replica after another. */
    public static List<List<GenerationRequest>> ofGeneration(List<GenerationRequest> requests, int replicas) {
        Integer[] order = positions(requests.size());
        Arrays.sort(
                order, Comparator.comparingInt((Integer i) -> -requests.get(i).promptTokens().length));
        List<List<Integer>> shards = emptyShards(replicas);
        for (int n = 0; n < order.length; n++) {
            shards.get(n % replicas).add(order[n]);
        }
        return inCallOrder(requests, shards);
    }

    /**
     * Scoring requests, grouped by context: the groups, largest first (ties by first appearance), each to the
     * replica with the fewest tokens (context plus continuation) so far, the first of them on a tie.
     */
    public static List<List<ScoringRequest>> ofScoring(List<ScoringRequest> requests, int replicas) {
        Map<List<Integer>, List<Integer>> byContext = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            byContext
                    .computeIfAbsent(tokens(requests.get(i).contextTokens()), context -> new ArrayList<>())
                    .add(i);
        }
        ToIntFunction<List<Integer>> cost = group -> group.stream()
                .mapToInt(i ->
                        requests.get(i).contextTokens().length + requests.get(i).continuationTokens().length)
                .sum();
        List<List<Integer>> groups = new ArrayList<>(byContext.values());
        groups.sort(Comparator.comparingInt(cost).reversed());
        List<List<Integer>> shards = emptyShards(replicas);
        long[] load = new long[replicas];
        for (List<Integer> group : groups) {
            int least = 0;
            for (int r = 1; r < replicas; r++) {
                if (load[r] < load[least]) {
                    least = r;
                }
            }
            shards.get(least).addAll(group);
            load[least] += cost.applyAsInt(group);
        }
        return inCallOrder(requests, shards);
    }

    private static Integer[] positions(int size) {
        Integer[] positions = new Integer[size];
        for (int i = 0; i < size; i++) {
            positions[i] = i;
        }
        return positions;
    }

    private static List<List<Integer>> emptyShards(int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("at least one replica, not " + replicas);
        }
        List<List<Integer>> shards = new ArrayList<>(replicas);
        for (int r = 0; r < replicas; r++) {
            shards.add(new ArrayList<>());
        }
        return shards;
    }

    private static <T> List<List<T>> inCallOrder(List<T> requests, List<List<Integer>> shards) {
        return shards.stream()
                .map(shard -> shard.stream().sorted().map(requests::get).toList())
                .toList();
    }

    private static List<Integer> tokens(int[] tokens) {
        return Arrays.stream(tokens).boxed().toList();
    }
}
