package ai.assay.api.leaderboard;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.leaderboard.Leaderboard;
import ai.assay.core.leaderboard.LeaderboardLine;
import ai.assay.core.leaderboard.MetricColumn;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The leaderboard in the shape of HALOs' {@code summarize_metrics.py} CSV: {@code model_name},
 * {@code alpacaeval_lcwr}, {@code alpacaeval_wr}, then for every benchmark metric under every filter a
 * {@code task-metric} column followed by its {@code task-metric_stderr}, in alphabetical order, then {@code avg}
 * (rounded to 4 places, as HALOs does). A filter other than {@code none} is appended as lm-eval writes it:
 * {@code gsm8k-exact_match,strict-match} and {@code gsm8k-exact_match_stderr,strict-match}. Missing values are empty.
 * Rows in leaderboard order.
 *
 * <p>The model name is the one cell a client chooses; a spreadsheet would evaluate it as a formula when it starts
 * with {@code = + - @}, a tab or a carriage return, so such a name is written with a leading apostrophe (OWASP's
 * advice against CSV injection). Every other cell is a number or a name Assay made.
 */
final class LeaderboardCsv {

    private LeaderboardCsv() {}

    static String spreadsheetSafe(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        return switch (cell.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + cell;
            default -> cell;
        };
    }

    static String write(Leaderboard board) {
        List<MetricColumn> benchmark =
                board.columns().stream().filter(c -> !c.judged()).toList();
        String lcwr = judgedColumn(board, MetricColumn.LENGTH_CONTROLLED_WIN_RATE);
        String wr = judgedColumn(board, MetricColumn.WIN_RATE);
        List<String> header = new ArrayList<>(List.of("model_name", "alpacaeval_lcwr", "alpacaeval_wr"));
        for (MetricColumn c : benchmark) {
            String filter = "none".equals(c.filter()) ? "" : "," + c.filter();
            header.add(c.task() + "-" + c.metric() + filter);
            header.add(c.task() + "-" + c.metric() + "_stderr" + filter);
        }
        header.add("avg");
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(
                out, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
            printer.printRecord(header);
            for (LeaderboardLine line : board.lines()) {
                List<String> record = new ArrayList<>();
                record.add(spreadsheetSafe(line.modelName()));
                record.add(lcwr == null ? "" : number(line.values().get(lcwr), false));
                record.add(wr == null ? "" : number(line.values().get(wr), false));
                for (MetricColumn c : benchmark) {
                    MetricValue value = line.values().get(c.id());
                    record.add(number(value, false));
                    record.add(number(value, true));
                }
                record.add(line.average() == null ? "" : String.format(Locale.ROOT, "%.4f", line.average()));
                printer.printRecord(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String judgedColumn(Leaderboard board, String metric) {
        return board.columns().stream()
                .filter(c -> c.judged() && c.metric().equals(metric) && "none".equals(c.filter()))
                .sorted((x, y) -> Boolean.compare(
                        !x.task().equals("alpaca_eval"), !y.task().equals("alpaca_eval")))
                .map(MetricColumn::id)
                .findFirst()
                .orElse(null);
    }

    private static String number(MetricValue value, boolean stderr) {
        if (value == null) {
            return "";
        }
        Double x = stderr ? value.stderr() : Double.valueOf(value.value());
        return x == null || !Double.isFinite(x) ? "" : Double.toString(x);
    }
}
