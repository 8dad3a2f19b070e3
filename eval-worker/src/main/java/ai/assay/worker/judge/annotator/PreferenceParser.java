package ai.assay.worker.judge.annotator;

import ai.assay.reference.alpacaeval.judging.LogprobParser;
import ai.assay.reference.alpacaeval.judging.RankingParser;
import ai.assay.reference.alpacaeval.judging.RegexParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * An alpaca_eval completion parser ({@code fn_completion_parser} with its {@code completion_parser_kwargs}), over the
 * parsers of eval-core. It reads what the annotator's {@link CompletionKey} selects: a JSON string (the answer's text)
 * or the choice object.
 */
public interface PreferenceParser {

    /** The config name, e.g. {@code logprob_parser}. */
    String name();

    /** Which completion key the parser needs. */
    CompletionKey input();

    /**
     * @return one value per example in the prompt, null where there is none
     * @throws RuntimeException for a completion the parser cannot read (treated as no preference)
     */
    List<? extends Number> parse(JsonNode completion);

    static PreferenceParser logprob(LogprobParser parser) {
        return new PreferenceParser() {
            @Override
            public String name() {
                return "logprob_parser";
            }

            @Override
            public CompletionKey input() {
                return CompletionKey.CHOICE;
            }

            @Override
            public List<? extends Number> parse(JsonNode completion) {
                return parser.parse(completion);
            }
        };
    }

    static PreferenceParser ranking(RankingParser parser) {
        return new PreferenceParser() {
            @Override
            public String name() {
                return "ranking_parser";
            }

            @Override
            public CompletionKey input() {
                return CompletionKey.TEXT;
            }

            @Override
            public List<? extends Number> parse(JsonNode completion) {
                return parser.parse(completion);
            }
        };
    }

    /** @param outputsToMatch preference (1 or 2) to Python regex, in priority order */
    static PreferenceParser regex(Map<Double, String> outputsToMatch) {
        RegexParser<Double> parser = new RegexParser<>(outputsToMatch);
        return new PreferenceParser() {
            @Override
            public String name() {
                return "regex_parser";
            }

            @Override
            public CompletionKey input() {
                return CompletionKey.TEXT;
            }

            @Override
            public List<? extends Number> parse(JsonNode completion) {
                if (completion == null || !completion.isString()) {
                    throw new IllegalArgumentException("regex_parser reads text");
                }
                return new ArrayList<>(parser.parse(completion.stringValue()));
            }
        };
    }
}
