package ai.assay.api.leaderboard;

import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.RequestParameters;
import ai.assay.core.leaderboard.LeaderboardQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the query parameters that leaderboards share between the API and the web pages. */
public final class LeaderboardRequests {

    private LeaderboardRequests() {}

    public static LeaderboardQuery query(
            String task, String annotator, List<String> labels, String evaluations, String sort, String order) {
        boolean all = switch (evaluations == null ? "latest" : evaluations) {
            case "latest" -> false;
            case "all" -> true;
            default -> throw invalid("evaluations", "'evaluations' must be 'latest' or 'all'");
        };
        boolean ascending = switch (order == null ? "desc" : order) {
            case "desc" -> false;
            case "asc" -> true;
            default -> throw invalid("order", "'order' must be 'desc' or 'asc'");
        };
        return new LeaderboardQuery(
                blankToNull(task), blankToNull(annotator), labels(labels), all, blankToNull(sort), ascending);
    }

    public static Map<String, String> labels(List<String> labels) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String label : labels == null ? List.<String>of() : labels) {
            int colon = label.indexOf(':');
            if (colon <= 0) {
                throw invalid("label", "'label' must be written key:value, but was '%s'".formatted(label));
            }
            parsed.put(label.substring(0, colon), label.substring(colon + 1));
        }
        return parsed;
    }

    public static void checkPage(int page, int size, int maxSize) {
        RequestParameters.page(page, size, size, maxSize);
    }

    private static ProblemException invalid(String parameter, String detail) {
        return RequestParameters.invalid(parameter, detail);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
