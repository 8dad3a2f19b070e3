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
                hellaswagRow("\ufb01nally he CUTS"), hellaswagRow("\u00dfo ON"), hellaswagRow("THE \u039f\u03a3 sign")));

        assertThat(docs)
                .extracting(d -> d.get("query").stringValue())
                .containsExactly(
                        "Cooking: A chef stands at a counter. Finally he cuts",
                        "Cooking: A chef stands at a counter. Sso on",
                        "Cooking: A chef stands at a counter. The \u03bf\u03c2 sign");
        assertThat(docs.get(0).get("choices").toString()).isEqualTo("[\"cuts an onion.\",\" sings.\"]");
    }
}
