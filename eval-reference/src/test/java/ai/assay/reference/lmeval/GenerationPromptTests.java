package ai.assay.reference.lmeval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * generate_until requests rendered from lm-eval's own task files and real rows, character for character. Each
 * expected context is written here from the task's YAML (its {@code doc_to_text}, delimiters and description,
 * read by eye) and lm-eval's plain-text rule ({@code description + (text + target_delimiter + target +
 * fewshot_delimiter) per shot + text}); the exemplars and rows themselves are read from the fixture files. Which
 * training rows gsm8k's random shots use comes from CPython: {@code r = random.Random(1234);
 * [r.sample(range(10), 5) for _ in range(2)]} is {@code [[7, 1, 0, 9, 4], [0, 1, 8, 6, 2]]}.
 */
@RequiresSharedFixtures
class GenerationPromptTests {

    private static final TaskTree TREE = SharedFixtures.tree("gsm8k", "bbh/cot_fewshot", "bbh/cot_zeroshot");

    private static final List<ObjectNode> GSM8K_TEST = SharedFixtures.rows("openai/gsm8k", "main", "test");
    private static final List<ObjectNode> GSM8K_TRAIN = SharedFixtures.rows("openai/gsm8k", "main", "train");

    private static List<DocRequests> requests(String task, int shots, Integer limit) {
        return SharedFixtures.requests(TREE.task(task).orElseThrow(), shots, limit);
    }

    private static String text(ObjectNode row, String field) {
        return row.get(field).stringValue();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> samples(String file) {
        Map<String, Object> yaml = SharedFixtures.yaml(file);
        return (List<Map<String, Object>>) ((Map<String, Object>) yaml.get("fewshot_config")).get("samples");
    }

    @Nested
    class Gsm8k {

        private static String gsm8kTurn(ObjectNode row) {
            return "Question: " + text(row, "question") + "\nAnswer:";
        }

        @Test
        void fiveShotsAreTrainRowsSevenOneZeroNineFourForTheFirstDocument() {
            List<DocRequests> docs = requests("gsm8k", 5, 2);

            String shots = java.util.stream.IntStream.of(7, 1, 0, 9, 4)
                    .mapToObj(i -> gsm8kTurn(GSM8K_TRAIN.get(i)) + " " + text(GSM8K_TRAIN.get(i), "answer") + "\n\n")
                    .collect(Collectors.joining());
            GenerationRequest first = docs.get(0).generation();
            assertThat(first.context()).isEqualTo(shots + gsm8kTurn(GSM8K_TEST.get(0)));
            assertThat(first.context()).startsWith("Question: Ken created a care package to send to his brother");
            assertThat(first.until()).containsExactly("Question:", "</s>", "<|im_end|>");
            assertThat(first.maxGenToks()).isEqualTo(256);
            assertThat(first.doSample()).isFalse();
            assertThat(first.temperature()).isEqualTo(0.0);
            assertThat(first.repeats()).isEqualTo(1);
            assertThat(docs.get(0).target()).isEqualTo(text(GSM8K_TEST.get(0), "answer"));
            assertThat(docs.get(0).arguments()).isEmpty();
            assertThat(docs.get(0).generative()).isTrue();

            String second = java.util.stream.IntStream.of(0, 1, 8, 6, 2)
                    .mapToObj(i -> gsm8kTurn(GSM8K_TRAIN.get(i)) + " " + text(GSM8K_TRAIN.get(i), "answer") + "\n\n")
                    .collect(Collectors.joining());
            assertThat(docs.get(1).generation().context()).isEqualTo(second + gsm8kTurn(GSM8K_TEST.get(1)));
        }

        @Test
        void zeroShotIsTheQuestionAlone() {
            DocRequests doc = requests("gsm8k", 0, null).get(0);

            assertThat(doc.generation().context())
                    .isEqualTo("Question: Janet’s ducks lay 16 eggs per day. She eats three for breakfast every"
                            + " morning and bakes muffins for her friends every day with four. She sells the remainder"
                            + " at the farmers' market daily for $2 per fresh duck egg. How much in dollars does she"
                            + " make every day at the farmers' market?\nAnswer:");
            assertThat(requests("gsm8k", 0, null)).hasSize(40);
        }

        @Test
        void theRequestCarriesGenerationKwargsAsTheTaskWritesThem() {
            GenerationRequest request = requests("gsm8k", 0, 1).get(0).generation();

            assertThat(request.arguments())
                    .containsExactly(
                            Map.entry("until", List.of("Question:", "</s>", "<|im_end|>")),
                            Map.entry("do_sample", false),
                            Map.entry("temperature", 0.0));
        }
    }

    @Nested
    class Gsm8kCot {

        private static String cotTurn(Object question) {
            return "Q: " + question + "\nA:";
        }

        @Test
        void eightShotsAreTheInlineExemplarsInOrder() {
            DocRequests doc = requests("gsm8k_cot", 8, 1).get(0);

            String shots = samples("gsm8k/gsm8k-cot.yaml").stream()
                    .map(s -> cotTurn(s.get("question")) + " " + s.get("target") + "\n\n")
                    .collect(Collectors.joining());
            assertThat(doc.generation().context()).isEqualTo(shots + cotTurn(text(GSM8K_TEST.get(0), "question")));
            assertThat(doc.generation().context().split("\nA:", -1))
                    .hasSize(10); // 9 answer cues: 8 shots, the question
            assertThat(doc.generation().until()).containsExactly("Q:", "</s>", "<|im_end|>");
            // doc_to_target takes the number after ####.
            assertThat(doc.target()).isEqualTo("18");
        }

        @Test
        void theDefaultShotCountIsEightAndEveryDocumentGetsTheSameExemplars() {
            List<DocRequests> docs = requests("gsm8k_cot", 8, 3);

            String shots = docs.get(0)
                    .generation()
                    .context()
                    .substring(0, docs.get(0).generation().context().lastIndexOf("Q: "));
            assertThat(TREE.task("gsm8k_cot").orElseThrow().config().numFewshot())
                    .isEqualTo(8);
            assertThat(docs.get(2).generation().context())
                    .isEqualTo(shots + cotTurn(text(GSM8K_TEST.get(2), "question")));
        }

        @Test
        void fewerShotsTakeTheFirstExemplars() {
            DocRequests doc = requests("gsm8k_cot", 2, 1).get(0);

            List<Map<String, Object>> samples = samples("gsm8k/gsm8k-cot.yaml");
            assertThat(doc.generation().context())
                    .isEqualTo(cotTurn(samples.get(0).get("question")) + " "
                            + samples.get(0).get("target") + "\n\n"
                            + cotTurn(samples.get(1).get("question")) + " "
                            + samples.get(1).get("target") + "\n\n"
                            + cotTurn(text(GSM8K_TEST.get(0), "question")));
        }

        @Test
        void zeroShotIsTheQuestionAlone() {
            DocRequests doc = requests("gsm8k_cot", 0, 2).get(1);

            assertThat(doc.generation().context())
                    .isEqualTo("Q: A robe takes 2 bolts of blue fiber and half that much white fiber.  How many bolts"
                            + " in total does it take?\nA:");
            assertThat(doc.target()).isEqualTo("3");
        }

        @Test
        void theZeroShotVariantStaysAtZeroShotsAndAsksToThinkStepByStep() {
            DocRequests doc = requests("gsm8k_cot_zeroshot", 5, 1).get(0);

            assertThat(doc.generation().context())
                    .isEqualTo(cotTurn(text(GSM8K_TEST.get(0), "question")) + " Let's think step by step.");
            assertThat(doc.generation().until()).containsExactly("Q:", "</s>", "<|im_end|>");
        }

        @Test
        void selfConsistencyRepeatsEachRequestSixtyFourTimesWithTheSamePrompt() {
            GenerationRequest consistency =
                    requests("gsm8k_cot_self_consistency", 8, 1).get(0).generation();
            GenerationRequest cot = requests("gsm8k_cot", 8, 1).get(0).generation();

            assertThat(consistency.context()).isEqualTo(cot.context());
            assertThat(consistency.repeats()).isEqualTo(64);
            assertThat(consistency.until()).containsExactly("Q:", "\n\n");
            assertThat(consistency.doSample()).isTrue();
            assertThat(consistency.temperature()).isEqualTo(0.2);
        }
    }

    @Nested
    class BigBenchHard {

        private static String bbhTurn(Object input) {
            return "Q: " + input + "\nA: Let's think step by step.\n";
        }

        private static List<ObjectNode> rows(String subtask) {
            return SharedFixtures.rows("SaylorTwift/bbh", subtask, "test");
        }

        @Test
        void threeShotsAreTheDescriptionAndTheExemplarsWithoutATargetDelimiter() {
            for (String subtask : List.of("boolean_expressions", "date_understanding")) {
                List<DocRequests> docs = requests("bbh_cot_fewshot_" + subtask, 3, 2);
                Map<String, Object> yaml = SharedFixtures.yaml("bbh/cot_fewshot/" + subtask + ".yaml");

                String shots = samples("bbh/cot_fewshot/" + subtask + ".yaml").stream()
                        .map(s -> bbhTurn(s.get("input")) + s.get("target") + "\n\n")
                        .collect(Collectors.joining());
                for (int i = 0; i < 2; i++) {
                    assertThat(docs.get(i).generation().context())
                            .isEqualTo(yaml.get("description")
                                    + shots
                                    + bbhTurn(text(rows(subtask).get(i), "input")));
                    assertThat(docs.get(i).target())
                            .isEqualTo(text(rows(subtask).get(i), "target"));
                }
                assertThat(docs.get(0).generation().until()).containsExactly("</s>", "Q", "\n\n");
                assertThat(docs.get(0).generation().maxGenToks()).isEqualTo(1024);
            }
        }

        @Test
        void booleanExpressionsStartWithItsDescriptionAndFirstExemplar() {
            String context = requests("bbh_cot_fewshot_boolean_expressions", 3, 1)
                    .get(0)
                    .generation()
                    .context();

            assertThat(context)
                    .startsWith("Evaluate the result of a random Boolean expression.\n\n"
                            + "Q: not ( ( not not True ) ) is\nA: Let's think step by step.\nRemember that (i)");
            assertThat(context).endsWith("\n\nQ: not ( True ) and ( True ) is\nA: Let's think step by step.\n");
        }

        @Test
        void zeroShotIsTheDescriptionAndTheQuestion() {
            DocRequests doc =
                    requests("bbh_cot_fewshot_date_understanding", 0, 1).get(0);

            assertThat(doc.generation().context())
                    .isEqualTo("Infer the date from context.\n\nQ: Today is Christmas Eve of 1937. What is the date"
                            + " tomorrow in MM/DD/YYYY?\nOptions:\n(A) 12/11/1937\n(B) 12/25/1937\n(C) 01/04/1938\n"
                            + "(D) 12/04/1937\n(E) 12/25/2006\n(F) 07/25/1937\nA: Let's think step by step.\n");
            assertThat(doc.target()).isEqualTo("(B)");
        }

        @Test
        void theZeroShotTaskFamilyIgnoresShotsAndEndsWithoutANewline() {
            DocRequests doc =
                    requests("bbh_cot_zeroshot_boolean_expressions", 3, 1).get(0);

            assertThat(doc.generation().context())
                    .isEqualTo("Evaluate the result of a random Boolean expression.\n\n"
                            + "Q: not ( True ) and ( True ) is\nA: Let's think step by step.");
            assertThat(doc.generation().until()).containsExactly("</s>", "Q:", "<|im_end|>");
            assertThat(doc.generation().maxGenToks()).isEqualTo(256);
        }

        @Test
        void bothBbhGroupsHoldTheTwentySevenFewShotSubtasks() {
            assertThat(TREE.leaves("bbh")).hasSize(27);
            assertThat(TREE.leaves("bbh_cot_fewshot"))
                    .extracting(LmEvalTask::name)
                    .isEqualTo(TREE.leaves("bbh").stream().map(LmEvalTask::name).toList());
            assertThat(TREE.leaves("bbh_cot_zeroshot")).hasSize(27);
            assertThat(TREE.group("bbh")
                            .orElseThrow()
                            .config()
                            .aggregateMetrics()
                            .get(0)
                            .filters())
                    .containsExactly("get-answer");
        }
    }

    @Nested
    class IfEval {

        @TempDir
        Path dir;

        /**
         * ifeval.yaml itself, included from a file that sets its scoring aside ({@code process_results} and the
         * instruction-level aggregation have no Java implementation in this package), so its prompts render.
         */
        private LmEvalTask promptsOnly() throws IOException {
            Files.writeString(dir.resolve("ifeval_prompts.yaml"), """
                    include: %s
                    process_results: null
                    metric_list:
                      - metric: exact_match
                    """.formatted(
                            SharedFixtures.tasks().resolve("ifeval/ifeval.yaml")));
            return TaskTree.of(TaskFile.under(dir)).task("ifeval").orElseThrow();
        }

        @Test
        void theContextIsThePromptAsItStandsWhateverTheShotsAsked() throws IOException {
            List<ObjectNode> rows = SharedFixtures.rows("google/IFEval", "default", "train");
            List<DocRequests> docs = SharedFixtures.requests(promptsOnly(), 3, 2);

            for (int i = 0; i < 2; i++) {
                assertThat(docs.get(i).generation().context()).isEqualTo(text(rows.get(i), "prompt"));
            }
            assertThat(docs.get(0).generation().context())
                    .startsWith("Write a 300+ word summary of the wikipedia page \"https://en.wikipedia.org/wiki/");
            GenerationRequest request = docs.get(0).generation();
            assertThat(request.until()).isEmpty();
            assertThat(request.maxGenToks()).isEqualTo(1280);
            assertThat(request.doSample()).isFalse();
            assertThat(docs.get(0).target()).isEqualTo("0");
        }

        @Test
        void theTaskAsWrittenLoadsWithItsProcessResultsScoredFromText() {
            LmEvalTask ifeval = SharedFixtures.tree("ifeval").task("ifeval").orElseThrow();

            assertThat(ifeval.processResults()).isNull(); // not a log-likelihood function: IFEval's, from text
            assertThat(ifeval.config().metrics()).hasSize(4);
        }
    }
}
