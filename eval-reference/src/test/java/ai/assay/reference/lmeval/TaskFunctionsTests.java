package ai.assay.reference.lmeval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** lm-eval's task helpers on rows made for the rule at hand; expected strings printed by CPython 3.11. */
class TaskFunctionsTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static ObjectNode hellaswagRow(String ctxB) {
        ObjectNode row = MAPPER.createObjectNode();
        row.put("activity_label", "Cooking");
        row.put("ctx_a", "A chef stands at a counter.");
        row.put("ctx_b", ctxB);
        row.putArray("endings").add("cuts an onion.").add("[title] sings.");
        row.put("label", "0");
        return row;
    }

    @Test
    void hellaswagCapitalizesCtxBWithPythonsFullCaseMapping() {
        // ctx_b.capitalize(): the ligature fi becomes "Fi", sharp s "Ss", the rest is lowered, a word-final sigma
        // becomes the final form.
        List<ObjectNode> docs = TaskFunctions.hellaswagDocs(List.of(
                hellaswagRow("\ufb01nally he CUTS"),
                hellaswagRow("\u00dfo ON"),
                hellaswagRow("THE \u039f\u03a3 sign")));

        assertThat(docs)
                .extracting(d -> d.get("query").stringValue())
                .containsExactly(
                        "Cooking: A chef stands at a counter. Finally he cuts",
                        "Cooking: A chef stands at a counter. Sso on",
                        "Cooking: A chef stands at a counter. The \u03bf\u03c2 sign");
        assertThat(docs.get(0).get("choices").toString()).isEqualTo("[\"cuts an onion.\",\" sings.\"]");
    }

    @Test
    void toxigensFewShotTargetIsTheLabelOfItsIndex() {
        // lm-eval v0.4.12 stops here (its doc_to_target gives a numpy int32, which build_qa_turn rejects as "Answer
        // is not a string"); Assay takes the 0/1 target as the index into ["No", "Yes"], as lm-eval does for the
        // scored document itself.
        for (DocRequests doc : ai.assay.reference.lmeval.testing.ReferenceTasks.requests("toxigen", 2)) {
            String context = doc.arguments().get(0).context();
            assertThat(context.split("\n\n")).hasSize(3);
            for (String shot : java.util.Arrays.asList(context.split("\n\n")).subList(0, 2)) {
                assertThat(shot)
                        .startsWith("Is the following statement hateful?")
                        .matches("(?s).*' (No|Yes)");
            }
        }
    }
}
