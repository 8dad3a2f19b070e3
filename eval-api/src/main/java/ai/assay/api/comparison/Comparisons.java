package ai.assay.api.comparison;

import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.core.leaderboard.Comparison;
import ai.assay.core.leaderboard.ComparisonBuilder;
import ai.assay.core.leaderboard.ComparisonBuilder.NothingSharedException;
import ai.assay.core.leaderboard.ComparisonBuilder.SideNotFoundException;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Comparisons for the API and the web pages, with their failures as API problems. */
@Component
public class Comparisons {

    private final ComparisonBuilder builder;

    Comparisons(ComparisonBuilder builder) {
        this.builder = builder;
    }

    public Comparison compare(String a, String b, String task, String metric, int page, int size) {
        try {
            return builder.compare(a, b, blankToNull(task), blankToNull(metric), page, size);
        } catch (SideNotFoundException e) {
            throw new ProblemException(ProblemKind.NO_RESULTS, e.getMessage(), Map.of("parameter", e.parameter()));
        } catch (NothingSharedException e) {
            throw new ProblemException(
                    ProblemKind.NOTHING_TO_COMPARE, e.getMessage(), Map.of("parameter", e.parameter()));
        }
    }

    ComparisonView view(String a, String b, String task, String metric, int page, int size) {
        return ComparisonView.of(compare(a, b, task, metric, page, size), builder.scheme());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
