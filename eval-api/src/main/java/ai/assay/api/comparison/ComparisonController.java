package ai.assay.api.comparison;

import ai.assay.api.leaderboard.LeaderboardRequests;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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

    @Operation(
            summary = "Compare two results",
            description = "For each task both sides have: every metric's difference on the shared examples with a"
                    + " 95% interval and a p-value; for judged tasks also A against B directly where both were"
                    + " judged against the same reference; and one task's per-example differences, largest first,"
                    + " with both outputs and both judgments (or lm-eval sample records), paged.")
    @GetMapping("/comparisons")
    ComparisonView compare(
            @Parameter(description = "A model name (its latest evaluation with results) or an evaluation id")
                    @RequestParam
                    String a,
            @Parameter(description = "The same for the other side") @RequestParam String b,
            @Parameter(
                            description = "Only this task (and its examples); default: every shared task, examples of"
                                    + " alpaca_eval if shared, else of the first")
                    @RequestParam(required = false)
                    String task,
            @Parameter(
                            description = "For benchmark tasks, the metric whose per-document differences are listed:"
                                    + " metric or metric:filter")
                    @RequestParam(required = false)
                    String metric,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "" + DEFAULT_PAGE_SIZE) int size) {
        LeaderboardRequests.checkPage(page, size, MAX_PAGE_SIZE);
        return comparisons.view(a, b, task, metric, page, size);
    }
}
