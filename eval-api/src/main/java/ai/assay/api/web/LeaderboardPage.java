package ai.assay.api.web;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.leaderboard.Leaderboard;
import ai.assay.core.leaderboard.LeaderboardLine;
import ai.assay.core.leaderboard.MetricColumn;
import ai.assay.reference.statistics.PairedDifference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * What the leaderboard page shows, with the geometry of its SVG drawings worked out here so that the template only
 * places elements: an interval bar per row (the sort column's value and 95% interval, on one scale for the page:
 * bootstrap percentiles for WR and LCWR, value &plusmn; 1.96 stderr otherwise), and the chart of LCWR against average
 * output length.
 */
record LeaderboardPage(
        String sortColumn,
        List<Header> headers,
        List<Line> rows,
        Chart chart,
        int page,
        int totalPages,
        int totalRows,
        String annotator,
        List<String> annotators,
        String statistics) {

    static final double BAR_WIDTH = 220;
    static final double CHART_WIDTH = 640;
    static final double CHART_HEIGHT = 360;
    static final double MARGIN = 48;

    record Header(String id, String label, boolean sort) {}

    record Cell(String text, String stderr) {}

    /**
     * One leaderboard row as the page shows it.
     *
     * @param bar the sort column's interval drawn to the page's scale, or null without an interval
     * @param next how this row compares with the row below it, or null for the last row
     */
    record Line(Placing placing, Entry entry, List<Cell> cells, String avg, Bar bar, Neighbour next) {}

    /**
     * @param rankRange the ranks the row could take within its confidence ("3–5"), empty when unranked
     * @param groupStart whether the row starts a new tie group (a new shade)
     */
    record Placing(Integer rank, String rankRange, Integer tieGroup, boolean groupStart) {}

    record Entry(String model, UUID evaluationId) {}

    /** x positions in the bar's SVG of the interval's start and end and of the value. */
    record Bar(double low, double high, double mark) {}

    /**
     * @param entry the row below, or null when it is on no page (the last row)
     * @param verdict "significant", "tie" or "untested", or null when the rows were not compared
     * @param detail the test's numbers, or why there is none
     */
    record Neighbour(Entry entry, String verdict, String detail) {}

    record Point(double x, double y, String label, String title) {}

    record Tick(double position, String label) {}

    record Chart(List<Point> points, List<Tick> xTicks, List<Tick> yTicks, String xLabel, String yLabel) {}

    static LeaderboardPage of(Leaderboard board, int page, int size) {
        List<MetricColumn> shown =
                board.columns().stream().filter(LeaderboardPage::shown).toList();
        List<Header> headers = shown.stream()
                .map(c -> new Header(c.id(), label(c), c.id().equals(board.sortColumn())))
                .toList();
        List<LeaderboardLine> lines = board.lines();
        int from = (int) Math.min(lines.size(), (long) page * size);
        int to = Math.min(lines.size(), from + size);
        List<LeaderboardLine> pageLines = lines.subList(from, to);

        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (LeaderboardLine line : pageLines) {
            double[] interval = interval(line, board.sortColumn());
            if (interval != null) {
                low = Math.min(low, interval[0]);
                high = Math.max(high, interval[1]);
            }
        }
        if (high <= low) {
            high = low + 1;
        }
        List<Line> rows = new ArrayList<>();
        for (int i = 0; i < pageLines.size(); i++) {
            LeaderboardLine line = pageLines.get(i);
            int index = from + i;
            LeaderboardLine next = index + 1 < lines.size() ? lines.get(index + 1) : null;
            List<Cell> cells =
                    shown.stream().map(c -> cell(line.values().get(c.id()), c)).toList();
            double[] interval = interval(line, board.sortColumn());
            Bar bar = null;
            if (interval != null) {
                double scale = (BAR_WIDTH - 20) / (high - low);
                bar = new Bar(
                        10 + (interval[0] - low) * scale,
                        10 + (interval[1] - low) * scale,
                        10 + (interval[2] - low) * scale);
            }
            String verdict = null;
            String detail = null;
            if (line.next() != null) {
                PairedDifference d = line.next().difference();
                verdict = d == null ? "untested" : line.next().separated() ? "significant" : "tie";
                detail = d == null
                        ? line.next().unavailable()
                        : String.format(
                                Locale.ROOT,
                                "difference %.3g [%.3g, %.3g], p = %.3g, Holm p = %.3g (%s)",
                                d.estimate(),
                                d.lower(),
                                d.upper(),
                                d.pValue(),
                                line.next().holmPValue(),
                                d.method().slug());
            }
            boolean groupStart = index == 0
                    || line.tieGroup() == null
                    || !line.tieGroup().equals(lines.get(index - 1).tieGroup());
            Placing placing = new Placing(
                    line.rank(),
                    line.firstRank() == null
                            ? ""
                            : line.firstRank().equals(line.lastRank())
                                    ? line.firstRank().toString()
                                    : line.firstRank() + "–" + line.lastRank(),
                    line.tieGroup(),
                    groupStart);
            Neighbour neighbour = next == null && verdict == null
                    ? null
                    : new Neighbour(
                            next == null ? null : new Entry(next.modelName(), next.evaluationId()), verdict, detail);
            rows.add(new Line(
                    placing,
                    new Entry(line.modelName(), line.evaluationId()),
                    cells,
                    line.average() == null ? "" : String.format(Locale.ROOT, "%.4f", line.average()),
                    bar,
                    neighbour));
        }
        return new LeaderboardPage(
                board.sortColumn(),
                headers,
                rows,
                chart(board),
                page,
                Math.max(1, (lines.size() + size - 1) / size),
                lines.size(),
                board.annotator(),
                board.annotators(),
                "Neighbour tests on " + board.sortColumn() + ", Holm-corrected at α = " + Leaderboard.ALPHA
                        + "; rows in one shade cannot be told apart.");
    }

    /** Judged tasks show their headline metrics; the counts stay in the API. */
    private static boolean shown(MetricColumn column) {
        if (!column.judged()) {
            return true;
        }
        return switch (column.metric()) {
            case MetricColumn.LENGTH_CONTROLLED_WIN_RATE,
                    MetricColumn.WIN_RATE,
                    "discrete_win_rate",
                    MetricColumn.AVERAGE_LENGTH -> true;
            default -> false;
        };
    }

    private static String label(MetricColumn column) {
        if (column.judged()) {
            return switch (column.metric()) {
                case MetricColumn.LENGTH_CONTROLLED_WIN_RATE -> "LCWR";
                case MetricColumn.WIN_RATE -> "WR";
                case "discrete_win_rate" -> "discrete WR";
                case MetricColumn.AVERAGE_LENGTH -> "avg length";
                default -> column.metric();
            };
        }
        return column.task() + " " + column.metric()
                + ("none".equals(column.filter()) ? "" : " (" + column.filter() + ")");
    }

    private static Cell cell(MetricValue value, MetricColumn column) {
        if (value == null) {
            return new Cell("", null);
        }
        boolean percent = column.judged();
        String format = column.metric().equals(MetricColumn.AVERAGE_LENGTH) ? "%.0f" : percent ? "%.2f" : "%.4f";
        return new Cell(
                String.format(Locale.ROOT, format, value.value()),
                value.stderr() == null ? null : String.format(Locale.ROOT, percent ? "%.2f" : "%.4f", value.stderr()));
    }

    /** [low, high, value] of the sort column's 95% interval, or null. */
    private static double[] interval(LeaderboardLine line, String column) {
        if (line.interval() != null) {
            MetricValue value = line.values().get(column);
            double mark =
                    value == null ? (line.interval().lower() + line.interval().upper()) / 2 : value.value();
            return new double[] {line.interval().lower(), line.interval().upper(), mark};
        }
        if (MetricColumn.AVG.equals(column)) {
            return line.average() == null ? null : new double[] {line.average(), line.average(), line.average()};
        }
        MetricValue value = line.values().get(column);
        if (value == null) {
            return null;
        }
        double se = value.stderr() == null ? 0 : value.stderr();
        return new double[] {value.value() - 1.96 * se, value.value() + 1.96 * se, value.value()};
    }

    private static Chart chart(Leaderboard board) {
        String lcwr = judged(board, MetricColumn.LENGTH_CONTROLLED_WIN_RATE);
        String length = judged(board, MetricColumn.AVERAGE_LENGTH);
        if (lcwr == null || length == null) {
            return null;
        }
        List<double[]> data = new ArrayList<>();
        List<LeaderboardLine> lines = new ArrayList<>();
        for (LeaderboardLine line : board.lines()) {
            MetricValue y = line.values().get(lcwr);
            MetricValue x = line.values().get(length);
            if (x != null && y != null) {
                data.add(new double[] {x.value(), y.value()});
                lines.add(line);
            }
        }
        if (data.isEmpty()) {
            return null;
        }
        double[] xs = niceRange(
                data.stream().mapToDouble(d -> d[0]).min().orElse(0),
                data.stream().mapToDouble(d -> d[0]).max().orElse(1));
        double[] ys = niceRange(
                0, Math.max(1, data.stream().mapToDouble(d -> d[1]).max().orElse(1)));
        double plotWidth = CHART_WIDTH - 2 * MARGIN;
        double plotHeight = CHART_HEIGHT - 2 * MARGIN;
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            double x = MARGIN + (data.get(i)[0] - xs[0]) / (xs[1] - xs[0]) * plotWidth;
            double y = CHART_HEIGHT - MARGIN - (data.get(i)[1] - ys[0]) / (ys[1] - ys[0]) * plotHeight;
            LeaderboardLine line = lines.get(i);
            points.add(new Point(
                    x,
                    y,
                    line.modelName(),
                    String.format(
                            Locale.ROOT,
                            "%s: LCWR %.2f, %.0f characters",
                            line.modelName(),
                            data.get(i)[1],
                            data.get(i)[0])));
        }
        List<Tick> xTicks = new ArrayList<>();
        List<Tick> yTicks = new ArrayList<>();
        for (int k = 0; k <= 4; k++) {
            double xv = xs[0] + k * (xs[1] - xs[0]) / 4;
            double yv = ys[0] + k * (ys[1] - ys[0]) / 4;
            xTicks.add(new Tick(MARGIN + k * plotWidth / 4, String.format(Locale.ROOT, "%.0f", xv)));
            yTicks.add(new Tick(CHART_HEIGHT - MARGIN - k * plotHeight / 4, String.format(Locale.ROOT, "%.0f", yv)));
        }
        return new Chart(points, xTicks, yTicks, "average output length (characters)", "LCWR (%)");
    }

    private static String judged(Leaderboard board, String metric) {
        return board.columns().stream()
                .filter(c -> c.judged() && c.metric().equals(metric))
                .sorted((a, b) -> Boolean.compare(
                        !a.task().equals("alpaca_eval"), !b.task().equals("alpaca_eval")))
                .map(MetricColumn::id)
                .findFirst()
                .orElse(null);
    }

    /** A range that starts and ends on round numbers and contains [low, high]. */
    static double[] niceRange(double low, double high) {
        if (high <= low) {
            high = low + 1;
        }
        double step = Math.pow(10, Math.floor(Math.log10((high - low) / 4)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if ((high - low) / (m * step) <= 4) {
                step *= m;
                break;
            }
        }
        double start = Math.floor(low / step) * step;
        return new double[] {start, Math.max(start + 4 * step, Math.ceil(high / step) * step)};
    }
}
