package ai.assay.api.web;

import ai.assay.reference.statistics.PairedDifference;
import java.util.Locale;

/** Number formatting for the templates. */
public final class Formats {

    public String number(Double value) {
        if (value == null || !Double.isFinite(value)) {
            return "";
        }
        double magnitude = Math.abs(value);
        return String.format(Locale.ROOT, magnitude >= 10 ? "%.2f" : "%.4f", value);
    }

    public String interval(PairedDifference d) {
        if (d == null || !Double.isFinite(d.lower())) {
            return "";
        }
        return "[" + number(d.lower()) + ", " + number(d.upper()) + "]";
    }

    public String p(Double p) {
        if (p == null || !Double.isFinite(p)) {
            return "";
        }
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    public String json(Object node) {
        return node == null ? "" : node.toString();
    }
}
