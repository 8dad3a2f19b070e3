package ai.assay.worker.engine.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.SamplingParams;
import ai.assay.worker.engine.ScoringRequest;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The split of a call's requests: every request once, by the requests alone, contexts kept together. */
class RequestShardsTests {

    private static GenerationRequest prompt(String id, int length) {
        return new GenerationRequest(id, new int[length], SamplingParams.greedy(4, List.of()));
    }

    private static List<List<String>> ids(List<? extends List<?>> shards) {
        return shards.stream()
                .map(shard -> shard.stream()
                        .map(r -> r instanceof GenerationRequest g ? g.id() : ((ScoringRequest) r).id())
                        .toList())
                .toList();
    }

    @Test
    void promptsAreDealtLongestFirstToOneReplicaAfterAnotherAndKeepTheCallsOrder() {
        List<GenerationRequest> requests =
                List.of(prompt("a", 3), prompt("b", 9), prompt("c", 1), prompt("d", 9), prompt("e", 5));

        // longest first: b d e a c, dealt to 0 1 0 1 0
        assertThat(ids(RequestShards.ofGeneration(requests, 2)))
                .containsExactly(List.of("b", "c", "e"), List.of("a", "d"));
        assertThat(ids(RequestShards.ofGeneration(requests, 3)))
                .containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e"));
        assertThat(ids(RequestShards.ofGeneration(requests.subList(0, 1), 2))).containsExactly(List.of("a"), List.of());
    }

    @Test
    void theChoicesOfOneContextStayOnOneReplicaAndTheGroupsAreBalancedByTokens() {
        int[] longContext = new int[10];
        int[] shortContext = {1, 2};
        int[] otherShort = {1, 3};
        List<ScoringRequest> requests = List.of(
                new ScoringRequest("s1", shortContext, new int[1]),
                new ScoringRequest("l1", longContext, new int[1]),
                new ScoringRequest("o1", otherShort, new int[2]),
                new ScoringRequest("s2", shortContext, new int[2]),
                new ScoringRequest("l2", longContext, new int[2]));

        // groups: long 23 tokens, short 7, other 4; long to 0, short to 1, other to 1
        assertThat(ids(RequestShards.ofScoring(requests, 2)))
                .containsExactly(List.of("l1", "l2"), List.of("s1", "o1", "s2"));
    }

    @Test
    void theSplitDependsOnTheRequestsAlone() {
        List<ScoringRequest> requests = IntStream.range(0, 40)
                .mapToObj(i -> new ScoringRequest("r" + i, new int[] {i % 7, i % 3}, new int[1 + i % 4]))
                .toList();

        assertThat(RequestShards.ofScoring(requests, 3)).isEqualTo(RequestShards.ofScoring(requests, 3));
        assertThat(RequestShards.ofScoring(requests, 3).stream()
                        .mapToInt(List::size)
                        .sum())
                .isEqualTo(40);
        assertThat(RequestShards.ofScoring(requests, 3))
                .allSatisfy(shard -> assertThat(shard).isNotEmpty());
    }
}
