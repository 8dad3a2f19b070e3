package ai.assay.api.comparison;

import ai.assay.api.leaderboard.LeaderboardRequests;
import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.core.leaderboard.Comparison;
import ai.assay.core.leaderboard.ComparisonBuilder;
import ai.assay.core.leaderboard.ComparisonBuilder.NothingSharedException;
import ai.assay.core.leaderboard.ComparisonBuilder.SideNotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Two results compared on their shared examples. */
@RestController
class ComparisonController {

    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 200;

    private final Comparisons comparisons;

    ComparisonController(Comparisons comparisons) {
        this.comparisons = comparisons;
    }

    @Operation(summary = "Compare two results",
            description = "For each task both sides have: every metric's difference on the shared examples with a"
                    + " 95% interval and a p-value; for judged tasks also A against B directly where both were"
                    + " judged against the same reference; and one task's per-example differences, largest first,"
                    + " with both outputs and both judgments (or lm-eval sample records), paged.")
    @GetMapping("/comparisons")
    ComparisonView compare(
            @Parameter(description = "A model name (its latest evaluation with results) or an evaluation id")
            @RequestParam String a,
            @Parameter(description = "The same for the other side") @RequestParam String b,
            @Parameter(description = "Only this task (and its examples); default: every shared task, examples of"
                    + " alpaca_eval if shared, else of the first") @RequestParam(required = false) String task,
            @Parameter(description = "For benchmark tasks, the metric whose per-document differences are listed:"
                    + " metric or metric:filter") @RequestParam(required = false) String metric,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "" + DEFAULT_PAGE_SIZE) int size) {
        LeaderboardRequests.checkPage(page, size, MAX_PAGE_SIZE);
        return comparisons.view(a, b, task, metric, page, size);
    }

    /** Shared with the web pages: the comparison with its errors as API problems. */
    @Component
    public static class Comparisons {

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
                throw new ProblemException(ProblemKind.NOTHING_TO_COMPARE, e.getMessage(),
                        Map.of("parameter", e.parameter()));
            }
        }

        public ComparisonView view(String a, String b, String task, String metric, int page, int size) {
            return ComparisonView.of(compare(a, b, task, metric, page, size), builder.scheme());
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
