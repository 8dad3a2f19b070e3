package ai.assay.reference.lmeval.ifeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each of the 25 checkers on a real row of {@code google/IFEval} (by its key) with its kwargs as the dataset has
 * them: a response that follows the instruction, and one that breaks exactly that instruction. The two ids no
 * fixture row carries ({@code nth_paragraph_first_word}, {@code constrained_response}) get kwargs of the dataset's
 * shape: all 24 keys, null where unused.
 */
class InstructionCheckerTests {

    private static boolean follows(long key, String id, String response) {
        return IfEvalRows.instruction(key, id).isFollowedBy(response);
    }

    private static String words(int n) {
        return "word ".repeat(n).strip();
    }

    private static Map<String, Object> datasetKwargs(Map<String, Object> set) {
        Map<String, Object> kwargs = new HashMap<>();
        for (String name : List.of(
                "num_highlights",
                "relation",
                "num_words",
                "num_placeholders",
                "prompt_to_repeat",
                "num_bullets",
                "section_spliter",
                "num_sections",
                "capital_relation",
                "capital_frequency",
                "keywords",
                "num_paragraphs",
                "language",
                "let_relation",
                "letter",
                "let_frequency",
                "end_phrase",
                "forbidden_words",
                "keyword",
                "frequency",
                "num_sentences",
                "postscript_marker",
                "first_word",
                "nth_paragraph")) {
            kwargs.put(name, null);
        }
        kwargs.putAll(set);
        return kwargs;
    }

    @Test
    void everyRegistryIdHasAChecker() {
        assertThat(Instructions.ids())
                .hasSize(25)
                .contains(
                        "punctuation:no_comma",
                        "language:response_language",
                        "length_constraints:number_words",
                        "detectable_format:json_format");
    }

    @Test
    void aResponseWithACommaBreaksNoComma() {
        assertThat(follows(1001, "punctuation:no_comma", "No commas here at all."))
                .isTrue();
        assertThat(follows(1001, "punctuation:no_comma", "Here, a comma.")).isFalse();
    }

    @Test
    void aBoldSpanCountsOnceAsAHighlight() {
        String id = "detectable_format:number_highlighted_sections";
        assertThat(follows(1000, id, "*one* and *two* and **three**")).isTrue();
        assertThat(follows(1000, id, "*one* and *two* and ** **")).isFalse();
    }

    @Test
    void atLeastThreeHundredWordsNeedsTheThreeHundredth() {
        String id = "length_constraints:number_words";
        assertThat(follows(1000, id, words(300))).isTrue();
        assertThat(follows(1000, id, words(299))).isFalse();
    }

    @Test
    void lessThanAWordCountIsStrict() {
        String id = "length_constraints:number_words";
        assertThat(follows(1217, id, words(150))).isTrue();
        assertThat(follows(1217, id, words(151))).isFalse();
    }

    @Test
    void placeholdersAreBracketedSpansOnOneLine() {
        String id = "detectable_content:number_placeholders";
        assertThat(follows(1005, id, "[name] ".repeat(12))).isTrue();
        assertThat(follows(1005, id, "[name] ".repeat(11) + "[broken\nplaceholder]"))
                .isFalse();
    }

    @Test
    void theRepeatedPromptMustComeFirst() {
        String prompt =
                IfEvalRows.row(1012).kwargs().get(0).get("prompt_to_repeat").toString();
        assertThat(follows(1012, "combination:repeat_prompt", "  " + prompt.toUpperCase() + "\n\nDear boss"))
                .isTrue();
        assertThat(follows(1012, "combination:repeat_prompt", "Sure! " + prompt))
                .isFalse();
    }

    @Test
    void aTitleMustNotBeBlank() {
        assertThat(follows(1012, "detectable_format:title", "<<My resignation>>\nDear boss"))
                .isTrue();
        assertThat(follows(1012, "detectable_format:title", "<<  >>\nDear boss"))
                .isFalse();
    }

    @Test
    void oneCapitalLetterBreaksLowercaseEnglish() {
        String text = "dear friend, please go and vote this tuesday. every voice matters and the polls are open"
                + " all day long.";
        assertThat(follows(1019, "change_case:english_lowercase", text)).isTrue();
        assertThat(follows(1019, "change_case:english_lowercase", text.replace("dear", "Dear")))
                .isFalse();
    }

    @Test
    void aFourthBulletBreaksExactlyThree() {
        String id = "detectable_format:number_bullet_lists";
        assertThat(follows(102, id, "Intro\n* one\n  * two\n- three")).isTrue();
        assertThat(follows(102, id, "Intro\n* one\n  * two\n- three\n- four")).isFalse();
    }

    @Test
    void oneLowercaseWordBreaksCapitalEnglish() {
        String text = "THE WEATHER TODAY IS SUNNY AND WARM, WITH A LIGHT BREEZE COMING FROM THE SEA.";
        assertThat(follows(1021, "change_case:english_capital", text)).isTrue();
        assertThat(follows(1021, "change_case:english_capital", text.replace("SEA", "sea")))
                .isFalse();
    }

    @Test
    void sectionSplittersAreCaseSensitive() {
        String id = "detectable_format:multiple_sections";
        assertThat(follows(1021, id, "PARAGRAPH 1\nfirst\nPARAGRAPH 2\nsecond")).isTrue();
        assertThat(follows(1021, id, "PARAGRAPH 1\nfirst\nParagraph 2\nsecond")).isFalse();
    }

    @Test
    void capitalWordsAreTreebankTokensThatAreUpperCase() {
        IfEvalRow row = IfEvalRows.row(1040);
        Instruction lessThanTen =
                Instructions.build(row.instructionIds().get(0), row.kwargs().get(0));
        Instruction atLeastOne =
                Instructions.build(row.instructionIds().get(1), row.kwargs().get(1));
        assertThat(atLeastOne.isFollowedBy("we love NASA.")).isTrue();
        assertThat(atLeastOne.isFollowedBy("we love nasa.")).isFalse();
        // "DON'T" is two tokens, DO and N'T: four capital words, not three.
        assertThat(lessThanTen.isFollowedBy("I DON'T KNOW. " + "YES ".repeat(5)))
                .isTrue();
        assertThat(lessThanTen.isFollowedBy("I DON'T KNOW. " + "YES ".repeat(6)))
                .isFalse();
    }

    @Test
    void aQuotationNeedsBothMarks() {
        assertThat(follows(1040, "startend:quotation", "  \"Wrapped.\"\n")).isTrue();
        assertThat(follows(1040, "startend:quotation", "\"Wrapped.")).isFalse();
        assertThat(follows(1040, "startend:quotation", "\"")).isFalse();
    }

    @Test
    void everyKeywordMustAppearInAnyCase() {
        String id = "keywords:existence";
        assertThat(follows(1069, id, "They were EXPERIENCING correlated events."))
                .isTrue();
        assertThat(follows(1069, id, "They saw correlated events.")).isFalse();
    }

    @Test
    void anEmptyParagraphBetweenDividersFails() {
        String id = "length_constraints:number_paragraphs";
        assertThat(follows(1082, id, "***\nFirst.\n***\nSecond.\n***")).isTrue();
        assertThat(follows(1082, id, "First.\n***\n***\nSecond.")).isFalse();
    }

    @Test
    void jsonMayBeFencedButMustParse() {
        String id = "detectable_format:json_format";
        assertThat(follows(1075, id, "```json\n{\"a\": [1, 2.5e3, NaN]}\n```")).isTrue();
        assertThat(follows(1075, id, "```json\n{\"a\": [1, 2.5e3,]}\n```")).isFalse();
    }

    @Test
    void twoResponsesMustDiffer() {
        String id = "combination:two_responses";
        assertThat(follows(1098, id, "First answer.\n******\nSecond answer.")).isTrue();
        assertThat(follows(1098, id, "Same answer.\n******\n Same answer.")).isFalse();
    }

    @Test
    void aKannadaRowWantsKannada() {
        String id = "language:response_language";
        assertThat(follows(1108, id, "ನಮಸ್ಕಾರ, ನಾನು ಕನ್ನಡದಲ್ಲಿ ಬರೆಯುತ್ತಿದ್ದೇನೆ. ಇದು ಒಂದು ಸುಂದರವಾದ ಭಾಷೆ."))
                .isTrue();
        assertThat(follows(1108, id, "Hello, I am writing in English. It is a widely spoken language."))
                .isFalse();
    }

    @Test
    void aPunjabiRowWantsPunjabi() {
        String id = "language:response_language";
        assertThat(follows(1154, id, "ਸਤ ਸ੍ਰੀ ਅਕਾਲ, ਮੈਂ ਪੰਜਾਬੀ ਵਿੱਚ ਲਿਖ ਰਿਹਾ ਹਾਂ। ਇਹ ਇੱਕ ਸੋਹਣੀ ਭਾਸ਼ਾ ਹੈ।"))
                .isTrue();
        assertThat(follows(1154, id, "ನಮಸ್ಕಾರ, ನಾನು ಕನ್ನಡದಲ್ಲಿ ಬರೆಯುತ್ತಿದ್ದೇನೆ."))
                .isFalse();
    }

    @Test
    void aTextWithoutLanguageFeaturesCountsAsFollowed() {
        assertThat(follows(1108, "language:response_language", "12345 !!! 678")).isTrue();
    }

    @Test
    void letterFrequencyCountsTheLoweredResponse() {
        String id = "keywords:letter_frequency";
        assertThat(follows(1130, id, "A quiz on a sofa.")).isTrue();
        assertThat(follows(1130, id, "Totally")).isFalse();
    }

    @Test
    void aLetterThatIsNoAsciiLetterIsReplacedByTheSameDrawEveryTime() {
        var first = (Instructions.LetterFrequency) IfEvalRows.instruction(1122, "keywords:letter_frequency");
        var second = (Instructions.LetterFrequency) IfEvalRows.instruction(1122, "keywords:letter_frequency");
        assertThat(first.letter()).matches("[a-z]").isNotEqualTo("#").isEqualTo(second.letter());
        assertThat(first.frequency()).isEqualTo(4);
        assertThat(first.relation()).isEqualTo("at least");
    }

    @Test
    void theEndPhraseMayBeFollowedByAQuoteOnly() {
        String id = "startend:end_checker";
        assertThat(follows(1128, id, "Done. IS THERE ANYTHING ELSE I CAN HELP WITH?\"\n"))
                .isTrue();
        assertThat(follows(1128, id, "Done. Is there anything else I can help with? Thanks."))
                .isFalse();
    }

    @Test
    void aForbiddenWordCountsOnlyAsAWholeWord() {
        String id = "keywords:forbidden_words";
        assertThat(follows(1132, id, "ROCKY HILLS AND ROCKS")).isTrue();
        assertThat(follows(1132, id, "I LOVE ROCK MUSIC")).isFalse();
    }

    @Test
    void keywordFrequencyCountsMatchesInAnyCase() {
        String id = "keywords:frequency";
        assertThat(follows(1153, id, "a story about a STORY")).isTrue();
        assertThat(follows(1153, id, "a story about stories")).isFalse();
    }

    @Test
    void lessThanSixSentencesAllowsFive() {
        String id = "length_constraints:number_sentences";
        assertThat(follows(1174, id, "One. Two. Three? Four! Five.")).isTrue();
        assertThat(follows(1174, id, "One. Two. Three? Four! Five. Six.")).isFalse();
    }

    @Test
    void aPostscriptMayBeSpacedAndLowercase() {
        String id = "detectable_content:postscript";
        assertThat(follows(1219, id, "BODY\n\np. s. see you")).isTrue();
        assertThat(follows(1219, id, "BODY\n\nPS see you")).isFalse();
    }

    @Test
    void theNthParagraphStartsWithTheWordUpToPunctuation() {
        Instruction instruction = Instructions.build(
                "length_constraints:nth_paragraph_first_word",
                datasetKwargs(Map.of("num_paragraphs", 3L, "nth_paragraph", 2L, "first_word", "Summary")));
        assertThat(instruction.isFollowedBy("Intro.\n\n\"Summary, it works.\n\nEnd."))
                .isTrue();
        assertThat(instruction.isFollowedBy("Intro.\n\nIn summary, it works.\n\nEnd."))
                .isFalse();
        assertThat(instruction.isFollowedBy("Intro.\n\nSummary: it works.\n\nEnd."))
                .isFalse();
    }

    @Test
    void aConstrainedResponseContainsOneOfTheThreeAnswers() {
        Instruction instruction = Instructions.build("detectable_format:constrained_response", datasetKwargs(Map.of()));
        assertThat(instruction.isFollowedBy("After some thought: My answer is maybe."))
                .isTrue();
        assertThat(instruction.isFollowedBy("My answer is perhaps.")).isFalse();
    }

    @Test
    void anUnknownIdIsRefused() {
        assertThatThrownBy(() -> Instructions.build("keywords:key_sentences", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keywords:key_sentences");
    }

    @Test
    void anArgumentTheCheckerDoesNotTakeIsRefusedAsUpstreamsTypeError() {
        assertThatThrownBy(() -> Instructions.build("punctuation:no_comma", datasetKwargs(Map.of("num_words", 5L))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("num_words");
    }

    @Test
    void aRepeatPromptWithoutThePromptIsRefused() {
        assertThatThrownBy(() -> Instructions.build("combination:repeat_prompt", datasetKwargs(Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prompt_to_repeat");
    }

    @Test
    void falsyKwargsAreDroppedSoAZeroCountIsDrawn() {
        var placeholders = (Instructions.Placeholders) Instructions.build(
                "detectable_content:number_placeholders", datasetKwargs(Map.of("num_placeholders", 0L)));
        assertThat(placeholders.placeholders()).isBetween(1, 4);
    }
}
