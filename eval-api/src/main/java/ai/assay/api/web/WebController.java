package ai.assay.api.web;

import ai.assay.api.comparison.Comparisons;
import ai.assay.api.leaderboard.LeaderboardCache;
import ai.assay.api.leaderboard.LeaderboardRequests;
import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.api.problem.RequestParameters;
import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.leaderboard.Comparison;
import ai.assay.core.leaderboard.Leaderboard;
import ai.assay.core.leaderboard.LeaderboardBuilder.UnknownColumnException;
import ai.assay.core.leaderboard.LeaderboardQuery;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The web pages: server-rendered views of the same data the API serves (docs/ui.md). */
@Hidden
@Controller
class WebController {

    static final int LEADERBOARD_PAGE_SIZE = 100;
    static final int EXAMPLES_PAGE_SIZE = 10;

    private final LeaderboardCache leaderboards;
    private final Comparisons comparisons;
    private final EvaluationRepository evaluations;

    WebController(LeaderboardCache leaderboards, Comparisons comparisons, EvaluationRepository evaluations) {
        this.leaderboards = leaderboards;
        this.comparisons = comparisons;
        this.evaluations = evaluations;
    }

    @GetMapping("/")
    String home() {
        return "redirect:/ui/leaderboard";
    }

    @GetMapping("/ui/leaderboard")
    String leaderboard(
            @RequestParam(required = false) String task,
            @RequestParam(required = false) String annotator,
            @RequestParam(name = "label", required = false) List<String> labels,
            @RequestParam(required = false) String evaluations,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) String order,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        LeaderboardQuery query = LeaderboardRequests.query(task, annotator, labels, evaluations, sort, order);
        LeaderboardRequests.checkPage(page, LEADERBOARD_PAGE_SIZE, LEADERBOARD_PAGE_SIZE);
        Leaderboard board;
        try {
            board = leaderboards.get(query);
        } catch (UnknownColumnException e) {
            throw RequestParameters.invalid("sort", e.getMessage());
        }
        model.addAttribute("query", query);
        model.addAttribute("labels", labels == null ? "" : String.join(" ", labels));
        model.addAttribute("board", LeaderboardPage.of(board, page, LEADERBOARD_PAGE_SIZE));
        return "ui/leaderboard";
    }

    @GetMapping("/ui/evaluations/{id}")
    String evaluation(@PathVariable String id, Model model) {
        Evaluation evaluation = parse(id)
                .flatMap(evaluations::findById)
                .orElseThrow(() -> new ProblemException(
                        ProblemKind.NOT_FOUND, "there is no evaluation with id '%s'".formatted(id)));
        model.addAttribute("evaluation", evaluation);
        return "ui/evaluation";
    }

    @GetMapping("/ui/comparisons")
    String comparison(
            @RequestParam String a,
            @RequestParam String b,
            @RequestParam(required = false) String task,
            @RequestParam(required = false) String metric,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        LeaderboardRequests.checkPage(page, EXAMPLES_PAGE_SIZE, EXAMPLES_PAGE_SIZE);
        Comparison comparison = comparisons.compare(a, b, task, metric, page, EXAMPLES_PAGE_SIZE);
        model.addAttribute("a", a);
        model.addAttribute("b", b);
        model.addAttribute("comparison", comparison);
        model.addAttribute("format", new Formats());
        long total = comparison.examples().totalItems();
        model.addAttribute("totalPages", Math.max(1, (total + EXAMPLES_PAGE_SIZE - 1) / EXAMPLES_PAGE_SIZE));
        return "ui/comparison";
    }

    private static java.util.Optional<UUID> parse(String id) {
        try {
            return java.util.Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
