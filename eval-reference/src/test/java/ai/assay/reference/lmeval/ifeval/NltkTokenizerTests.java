package ai.assay.reference.lmeval.ifeval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * nltk's tokenizers as IFEval uses them; each expectation is what nltk 3.8 (whose tokenizers 3.9.x keeps) gives,
 * {@code word_tokenize} with {@code sent_tokenize} on an untrained {@code PunktSentenceTokenizer()}.
 */
class NltkTokenizerTests {

    private final PunktSentences punkt = PunktSentences.untrained();

    @Test
    void contractionsSplitInTwoTokens() {
        assertThat(NltkWords.wordTokenize("I DON'T KNOW. THEY CAN'T GO.", punkt))
                .containsExactly("I", "DO", "N'T", "KNOW", ".", "THEY", "CA", "N'T", "GO", ".");
    }

    @Test
    void quotesBracketsAndPossessivesBecomeTheirOwnTokens() {
        assertThat(NltkWords.wordTokenize("He said, \"NASA's rover (Perseverance) landed.\" Great!", punkt))
                .containsExactly(
                        "He",
                        "said",
                        ",",
                        "``",
                        "NASA",
                        "'s",
                        "rover",
                        "(",
                        "Perseverance",
                        ")",
                        "landed",
                        ".",
                        "''",
                        "Great",
                        "!");
    }

    @Test
    void ellipsesDashesAndMacIntyreContractionsSplit() {
        assertThat(NltkWords.wordTokenize("Wait... WHAT?! I'm gonna cry -- really.", punkt))
                .containsExactly("Wait", "...", "WHAT", "?", "!", "I", "'m", "gon", "na", "cry", "--", "really", ".");
        assertThat(NltkWords.wordTokenize("“Quoted” text, cannot stop: 1,000 items; $5 & more.", punkt))
                .containsExactly(
                        "“", "Quoted", "”", "text", ",", "can", "not", "stop", ":", "1,000", "items", ";", "$", "5",
                        "&", "more", ".");
    }

    @Test
    void withoutTheEnglishModelAnAbbreviationEndsASentence() {
        assertThat(punkt.tokenize("Dr. Smith arrived. He sat down."))
                .containsExactly("Dr.", "Smith arrived.", "He sat down.");
    }

    @Test
    void initialsBeforeACapitalDoNotEndASentence() {
        assertThat(punkt.tokenize("J. K. Rowling wrote it. Then she left."))
                .containsExactly("J. K. Rowling wrote it.", "Then she left.");
    }

    @Test
    void closingBracketsStayWithTheirSentence() {
        assertThat(punkt.tokenize("It costs 3.5 dollars. (Really.) Fine!"))
                .containsExactly("It costs 3.5 dollars.", "(Really.)", "Fine!");
        assertThat(punkt.tokenize("(Sent1.) Sent2.")).containsExactly("(Sent1.)", "Sent2.");
    }

    @Test
    void numberedListsAndEllipsesFollowPunkt() {
        assertThat(punkt.tokenize("1. First item\n2. Second item"))
                .containsExactly("1.", "First item\n2.", "Second item");
        assertThat(punkt.tokenize("He paused... and then continued. Done"))
                .containsExactly("He paused... and then continued.", "Done");
        assertThat(punkt.tokenize("Is it? Yes! No.")).containsExactly("Is it?", "Yes!", "No.");
    }

    @Test
    void aKnownAbbreviationKeepsTheSentenceTogether() {
        PunktSentences withDoctor = PunktSentences.withParameters(new PunktSentences.Parameters(
                java.util.Set.of("dr"), java.util.Set.of(), java.util.Set.of(), java.util.Map.of()));
        assertThat(withDoctor.tokenize("Dr. Smith arrived. He sat down."))
                .isEqualTo(List.of("Dr. Smith arrived.", "He sat down."));
    }
}
