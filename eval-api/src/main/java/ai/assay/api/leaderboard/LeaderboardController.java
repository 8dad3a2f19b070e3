package ai.assay.api.leaderboard;

import ai.assay.api.problem.RequestParameters;
import ai.assay.api.system.ApiProperties;
import ai.assay.core.leaderboard.LeaderboardBuilder;
import ai.assay.core.leaderboard.LeaderboardBuilder.UnknownColumnException;
import ai.assay.core.leaderboard.LeaderboardQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** The leaderboard: one row per model, a column per metric, and paired tests between neighbouring rows. */
@RestController
class LeaderboardController {

    static final int MAX_PAGE_SIZE = 1000;
    static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final LeaderboardCache cache;
    private final LeaderboardBuilder builder;
    private final JsonMapper mapper;
    private final ApiProperties properties;

    LeaderboardController(
            LeaderboardCache cache, LeaderboardBuilder builder, JsonMapper mapper, ApiProperties properties) {
        this.cache = cache;
        this.builder = builder;
        this.mapper = mapper;
        this.properties = properties;
    }

    @Operation(
            summary = "The leaderboard",
            description = "One row per model (its latest finished evaluation; every evaluation with"
                    + " evaluations=all), a column per metric and filter with its standard error and n, sorted by"
                    + " sort (default: AlpacaEval's LCWR when present, else avg). Each row carries the paired test"
                    + " against the next row on the sort column, Holm-corrected, and its tie group and rank range."
                    + " format=csv (or Accept: text/csv) gives every row in the shape of HALOs' summary CSV.")
    @GetMapping(
            value = "/leaderboard",
            produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    ResponseEntity<?> leaderboard(
            @Parameter(description = "Only this task's columns, e.g. alpaca_eval or arc_easy")
                    @RequestParam(required = false)
                    String task,
            @Parameter(description = "The judge of judged tasks; default: the one with the most results")
                    @RequestParam(required = false)
                    String annotator,
            @Parameter(description = "key:value; repeat to require several labels")
                    @RequestParam(name = "label", required = false)
                    List<String> labels,
            @Parameter(description = "latest (one row per model) or all (one per evaluation)")
                    @RequestParam(required = false)
                    String evaluations,
            @Parameter(description = "A column id (task:metric or task:metric:filter), lcwr, wr or avg")
                    @RequestParam(required = false)
                    String sort,
            @Parameter(description = "desc (default) or asc") @RequestParam(required = false) String order,
            @Parameter(description = "json (default) or csv") @RequestParam(required = false) String format,
            @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "Rows per page, 1-1000; default assay.api.default-page-size (20)")
                    @RequestParam(required = false)
                    Integer size,
            @RequestHeader(name = "Accept", required = false) String accept) {
        LeaderboardQuery query = LeaderboardRequests.query(task, annotator, labels, evaluations, sort, order);
        boolean csv = wantsCsv(format, accept);
        int pageSize = size == null ? properties.defaultPageSize() : size;
        if (!csv) {
            LeaderboardRequests.checkPage(page, pageSize, MAX_PAGE_SIZE);
        }
        try {
            if (csv) {
                String body = cache.rendering(query, "csv", LeaderboardCsv::write);
                return ResponseEntity.ok()
                        .contentType(TEXT_CSV)
                        .header("Content-Disposition", "inline; filename=\"leaderboard.csv\"")
                        .body(body);
            }
            byte[] body = cache.rendering(
                    query,
                    List.of("json", page, pageSize),
                    board -> mapper.writeValueAsBytes(LeaderboardView.of(board, builder.scheme(), page, pageSize)));
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
        } catch (UnknownColumnException e) {
            throw RequestParameters.invalid("sort", e.getMessage());
        }
    }

    private static boolean wantsCsv(String format, String accept) {
        if (format != null) {
            return switch (format) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw RequestParameters.invalid("format", "'format' must be 'json' or 'csv'");
            };
        }
        if (accept == null) {
            return false;
        }
        List<MediaType> types = MediaType.parseMediaTypes(accept);
        types.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType type : types) {
            if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                return false;
            }
            if (type.getType().equals("text") && type.getSubtype().equals("csv")) {
                return true;
            }
        }
        return false;
    }
}
