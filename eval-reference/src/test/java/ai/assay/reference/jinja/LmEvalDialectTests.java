package ai.assay.reference.jinja;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.python.PyValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * lm-eval's template environment, {@code jinja2.Environment(undefined=StrictUndefined,
 * keep_trailing_newline=True)} with {@code regex_replace}; each expected value is what that environment gives
 * (Jinja2 3.1, Python 3.11).
 */
class LmEvalDialectTests {

    private static final Map<String, Object> DOC = doc();

    private static Map<String, Object> doc() {
        Map<String, Object> choices = new LinkedHashMap<>();
        choices.put("text", List.of("air", "elements", "water"));
        choices.put("label", List.of("A", "B", "C"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("question", "  What is it?\n");
        doc.put("choices", choices);
        doc.put("answerKey", "C");
        doc.put("label", 2L);
        doc.put("score", 2.5);
        doc.put("flag", true);
        doc.put("missing", PyValues.NONE);
        doc.put("word", "héllo");
        return doc;
    }

    private static String render(String template) {
        return JinjaTemplate.parse(template, JinjaDialect.LM_EVAL).render(DOC);
    }

    private static Object value(String template) {
        return JinjaTemplate.parse(template, JinjaDialect.LM_EVAL).value(DOC);
    }

    @Test
    void anUndefinedNameFailsWhereverItIsUsed() {
        for (String template : List.of(
                "{{ nope }}",
                "Q: {{ 'a' + nope }}",
                "{{ nope ~ 'a' }}",
                "{% if nope %}x{% endif %}",
                "{% for x in nope %}{{ x }}{% endfor %}",
                "{{ nope.strip() }}",
                "{{ nope.attribute }}",
                "{% set x = nope %}{{ x }}")) {
            assertThatThrownBy(() -> render(template))
                    .as(template)
                    .isInstanceOfSatisfying(
                            JinjaException.class, e -> assertThat(e.kind()).isEqualTo(JinjaException.Kind.UNDEFINED))
                    .hasMessage("'nope' is undefined");
        }
    }

    @Test
    void aMissingAttributeKeyOrIndexFails() {
        for (String template : List.of(
                "{{ choices.nope }}",
                "{{ choices['nope'] }}",
                "{{ choices.text[3] }}",
                "{{ answerKey.nope }}",
                "{{ choices.text.nope }}",
                "{{ label.nope }}",
                "{{ word[9] }}",
                "{{ choices.nope.deeper }}")) {
            assertThatThrownBy(() -> render(template))
                    .as(template)
                    .isInstanceOfSatisfying(
                            JinjaException.class, e -> assertThat(e.kind()).isEqualTo(JinjaException.Kind.UNDEFINED));
        }
        assertThatThrownBy(() -> render("{{ choices.nope }}")).hasMessage("'dict object' has no attribute 'nope'");
    }

    @Test
    void anUndefinedValueMayOnlyBeTestedOrDefaulted() {
        assertThat(render("{{ nope is defined }} {{ nope is undefined }} {{ question is defined }}"))
                .isEqualTo("False True True");
        assertThat(render("{{ nope | default('d') }} {{ choices.nope | d('e') }} {{ answerKey | default('f') }}"))
                .isEqualTo("d e C");
    }

    @Test
    void theTrailingNewlineIsKept() {
        assertThat(render("{{ answerKey }}\n")).isEqualTo("C\n");
        assertThat(render("Answer:\n\n")).isEqualTo("Answer:\n\n");
    }

    @Test
    void onlyCarriageReturnsAndLineFeedsBreakLines() {
        assertThat(render("a\r\nb\rc\u000cd\u2028e\n")).isEqualTo("a\nb\nc\u000cd\u2028e\n");
    }

    @Test
    void blocksNeitherTrimTheNewlineAfterThemNorStripTheIndentBefore() {
        assertThat(render("{% set x = 1 %}\n  {% if true %}{{ x }}{% endif %}\n{# c #}\nend"))
                .isEqualTo("\n  1\n\nend");
        assertThat(render("a  {{- answerKey -}}  b {%- if true %} c{% endif -%}\n"))
                .isEqualTo("aCb c");
    }

    @Test
    void theSameSourceUnderTransformersTrimsBlocksAndDropsTheTrailingNewline() {
        String source = "{% if true %}\n  x\n  {% endif %}\n";
        assertThat(JinjaTemplate.parse(source, JinjaDialect.LM_EVAL).render(Map.of()))
                .isEqualTo("\n  x\n  \n");
        assertThat(JinjaTemplate.parse(source, JinjaDialect.TRANSFORMERS).render(Map.of()))
                .isEqualTo("  x\n");
    }

    @Test
    void aSingleExpressionGivesItsValueNotItsText() {
        assertThat(value("{{choices.text}}")).isEqualTo(List.of("air", "elements", "water"));
        assertThat(value("{{choices.label.index(answerKey)}}")).isEqualTo(2L);
        assertThat(value("{{ label }}")).isEqualTo(2L);
        assertThat(value("{{ choices.text[0] + '!' }}")).isEqualTo("air!");
        assertThat(value("{{ answerKey | lower }}")).isEqualTo("c");
        assertThat(value("{{ choices }}")).isEqualTo(DOC.get("choices"));
        assertThat(JinjaTemplate.parse("{{ label }} ", JinjaDialect.LM_EVAL).isSingleExpression())
                .isFalse();
        assertThat(JinjaTemplate.parse("{{- label -}}", JinjaDialect.LM_EVAL).isSingleExpression())
                .isTrue();
        assertThatThrownBy(() -> value("{{ nope }}")).hasMessage("'nope' is undefined");
    }

    @Test
    void printedValuesAreTheirPythonStr() {
        assertThat(render("{{ choices.text }}|{{ flag }}|{{ missing }}|{{ none }}|{{ score }}|{{ label }}"))
                .isEqualTo("['air', 'elements', 'water']|True|None|None|2.5|2");
        assertThat(render("{{ choices }}"))
                .isEqualTo("{'text': ['air', 'elements', 'water'], 'label': ['A', 'B', 'C']}");
        assertThat(render("{{ missing is none }} {{ answerKey is none }}")).isEqualTo("True False");
        assertThat(render("{{ choices.get('nope') }} {{ choices.get('nope', 'd') }} {{ choices.get('label')[0] }}"))
                .isEqualTo("None d A");
    }

    @Test
    void strMethodsIndexingAndConcatenationArePython() {
        assertThat(
                        render(
                                "{{question.strip()}}|{{ answerKey.lower() }}|{{ 'ab'.upper() }}|{{ 'aXbX'.replace('X', '-') }}"))
                .isEqualTo("What is it?|c|AB|a-b-");
        assertThat(render("{{ word[1] }}{{ word[-1] }}|{{ choices.text[-1] }}|{{ choices['label'][0] }}"))
                .isEqualTo("éo|water|A");
        assertThat(render("{{ 'Q: ' + question.strip() + '\\nA:' }}")).isEqualTo("Q: What is it?\nA:");
        assertThat(render("{{ choices.label.index('B') }}")).isEqualTo("1");
        assertThatThrownBy(() -> render("{{ choices.label.index('Z') }}")).hasMessageContaining("'Z' is not in list");
    }

    @Test
    void regexReplaceIsPythonsReSub() {
        assertThat(render("{{ 'hello world' | regex_replace('(\\\\w+) (\\\\w+)', '\\\\2 \\\\1') }}"))
                .isEqualTo("world hello");
        assertThat(render("{{ 'aaa' | regex_replace('a', 'b', 2) }}|{{ 'aaa' | regex_replace('a', 'b', count=1) }}"))
                .isEqualTo("bba|baa");
        assertThat(render("{{ question | regex_replace('\\\\s+', ' ') }}")).isEqualTo(" What is it? ");
    }

    @Test
    void tojsonIsJinja2sHtmlSafeSortedAsciiJson() {
        assertThat(render("{{ choices | tojson }}|{{ word | tojson }}|{{ \"<a href='x'>&\" | tojson }}"))
                .isEqualTo("{\"label\": [\"A\", \"B\", \"C\"], \"text\": [\"air\", \"elements\", \"water\"]}"
                        + "|\"h\\u00e9llo\"|\"\\u003ca href=\\u0027x\\u0027\\u003e\\u0026\"");
    }

    @Test
    void loopsWithAFilterOrAnElseAreJinja2s() {
        assertThat(render("{% for c in choices.text if c != 'air' %}{{ loop.index }}{{ c }}{% endfor %}"))
                .isEqualTo("1elements2water");
        assertThat(render("{% for c in [] %}x{% else %}empty{% endfor %}|{{ choices.text[::-1] }}"))
                .isEqualTo("empty|['water', 'elements', 'air']");
    }

    @Test
    void whatOneRenderSetsTheNextDoesNotSee() {
        JinjaTemplate sets = JinjaTemplate.parse(
                "{% set x = 1 %}{% macro m() %}M{% endmacro %}{{ x }}{{ m() }}", JinjaDialect.LM_EVAL);
        JinjaTemplate reads = JinjaTemplate.parse("{{ x is defined }} {{ m is defined }}", JinjaDialect.LM_EVAL);
        assertThat(sets.render(DOC)).isEqualTo("1M");
        assertThat(reads.render(DOC)).isEqualTo("False False");
        assertThat(sets.render(Map.of())).isEqualTo("1M");
    }

    @Test
    void aFilterOrTestTheEnvironmentLacksIsRefusedWhenParsed() {
        assertThatThrownBy(() -> JinjaTemplate.parse("{{ x | nosuch }}", JinjaDialect.LM_EVAL))
                .isInstanceOfSatisfying(
                        JinjaException.class, e -> assertThat(e.kind()).isEqualTo(JinjaException.Kind.UNSUPPORTED))
                .hasMessageContaining("filter 'nosuch'");
        assertThatThrownBy(() -> JinjaTemplate.parse("{{ x is nosuch }}", JinjaDialect.LM_EVAL))
                .hasMessageContaining("test 'nosuch'");
        assertThatThrownBy(() -> JinjaTemplate.parse("{{ 'never closed }}", JinjaDialect.LM_EVAL))
                .isInstanceOfSatisfying(
                        JinjaException.class, e -> assertThat(e.kind()).isEqualTo(JinjaException.Kind.MALFORMED));
    }
}
