package ai.assay.reference.lmeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Which documents become shots, and how a shot and the evaluated turn are joined, as lm-eval's
 * {@code fewshot_context} and samplers do at commit 4e7e0d47f: the evaluated document is left out only when
 * {@code fewshot_config.split} equals {@code test_split}. The pool here holds the evaluated documents themselves,
 * {@code q0 ... q9}. Draws from CPython: {@code r = random.Random(1234)}; three {@code r.sample(range(10), 1)} give
 * {@code [7], [1], [0]}; three {@code r.sample(range(10), 2)} give {@code [7, 1], [0, 1], [9, 0]}.
 */
class FewshotSamplingTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private LmEvalTask task(String extra) throws IOException {
        Files.writeString(dir.resolve("probe.yaml"), """
                task: probe
                dataset_path: some/data
                output_type: generate_until
                test_split: test
                doc_to_text: "Q: {{q}}\\nA:"
                doc_to_target: "{{a}}"
                metric_list:
                  - metric: exact_match
                """ + extra);
        return TaskTree.of(TaskFile.under(dir)).task("probe").orElseThrow();
    }

    private static List<Doc> docs(LmEvalTask task) {
        return task.docs(IntStream.range(0, 10)
                .mapToObj(i -> (ObjectNode) MAPPER.readTree("{\"q\": \"q%d\", \"a\": \"a%d\"}".formatted(i, i)))
                .toList());
    }

    private static List<String> contexts(LmEvalTask task, int shots, int limit) {
        List<Doc> docs = docs(task);
        return TaskPrompts.build(task, docs, docs, shots, 1234, limit).stream()
                .map(doc -> doc.generation().context())
                .toList();
    }

    private static String shot(int i) {
        return "Q: q%d\nA: a%d\n\n".formatted(i, i);
    }

    private static String turn(int i) {
        return "Q: q%d\nA:".formatted(i);
    }

    @Test
    void theRandomSamplerKeepsTheEvaluatedDocumentWhenTheFewshotSplitIsAnother() throws IOException {
        List<String> contexts = contexts(task("fewshot_split: train\n"), 1, 3);

        assertThat(contexts).containsExactly(shot(7) + turn(0), shot(1) + turn(1), shot(0) + turn(2));
    }

    @Test
    void theRandomSamplerDrawsOneMoreAndDropsTheEvaluatedDocumentWhenTheFewshotSplitIsTheTestSplit()
            throws IOException {
        List<String> contexts = contexts(task("fewshot_split: test\n"), 1, 3);

        assertThat(contexts).containsExactly(shot(7) + turn(0), shot(0) + turn(1), shot(9) + turn(2));
    }

    @Test
    void firstNTakesThePoolsFirstRowsAsTheyAreWhenTheFewshotSplitIsAnother() throws IOException {
        List<String> contexts = contexts(task("fewshot_split: train\nfewshot_config:\n  sampler: first_n\n"), 2, 2);

        assertThat(contexts).containsExactly(shot(0) + shot(1) + turn(0), shot(0) + shot(1) + turn(1));
    }

    @Test
    void firstNSkipsTheEvaluatedDocumentWhenTheFewshotSplitIsTheTestSplit() throws IOException {
        List<String> contexts = contexts(task("fewshot_config:\n  sampler: first_n\n  split: test\n"), 2, 2);

        assertThat(contexts).containsExactly(shot(1) + shot(2) + turn(0), shot(0) + shot(2) + turn(1));
    }

    @Test
    void aGenPrefixFollowsTheTargetDelimiterAndASpaceSeparatesItFromAShotsTarget() throws IOException {
        LmEvalTask task = task("fewshot_split: train\ndoc_to_text: \"Q: {{q}}\"\ngen_prefix: \"Answer for {{q}}:\"\n");

        assertThat(contexts(task, 1, 1)).containsExactly("Q: q7 Answer for q7: a7\n\nQ: q0 Answer for q0:");
    }

    @Test
    void aGenPrefixAfterWhitespaceNeedsNoDelimiter() throws IOException {
        LmEvalTask task = task("fewshot_split: train\ndoc_to_text: \"Q: {{q}}\\n\"\ngen_prefix: \"Answer:\"\n");

        assertThat(contexts(task, 1, 1)).containsExactly("Q: q7\nAnswer: a7\n\nQ: q0\nAnswer:");
    }

    @Test
    void theFewshotConfigsFieldsWriteTheShotsAndTheTasksTheEvaluatedTurn() throws IOException {
        LmEvalTask task = task("fewshot_split: train\nfewshot_config:\n  doc_to_text: \"Example {{q}} ->\"\n"
                + "  target_delimiter: \"\"\n  fewshot_delimiter: \"|\"\n");

        assertThat(contexts(task, 1, 1)).containsExactly("Example q7 ->a7|Q: q0\nA:");
    }

    @Test
    void moreShotsThanTheInlineSamplesHoldIsAnError() throws IOException {
        LmEvalTask task = task("fewshot_config:\n  sampler: first_n\n  samples:\n    - {q: s0, a: t0}\n");

        assertThat(contexts(task, 1, 1)).containsExactly("Q: s0\nA: t0\n\nQ: q0\nA:");
        assertThatThrownBy(() -> contexts(task, 2, 1))
                .hasMessageContaining("2 few-shot examples asked, but fewshot_config.samples has only 1");
    }
}
