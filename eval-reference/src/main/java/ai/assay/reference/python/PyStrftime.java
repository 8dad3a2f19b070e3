package ai.assay.reference.python;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * Python's {@code datetime.strftime} in the C locale (what {@code strftime_now} in transformers' chat templates
 * calls) on a naive local time, including glibc's {@code %-d}-style unpadded forms.
 */
public final class PyStrftime {

    private PyStrftime() {}

    public static String format(ZonedDateTime time, String pattern) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 >= pattern.length()) {
                out.append(c);
                i++;
                continue;
            }
            char code = pattern.charAt(i + 1);
            boolean unpadded = false;
            if (code == '-' && i + 2 < pattern.length()) {
                unpadded = true;
                code = pattern.charAt(i + 2);
                i++;
            }
            i += 2;
            String field = field(time, code);
            if (field == null) {
                out.append('%').append(unpadded ? "-" : "").append(code);
            } else {
                out.append(unpadded ? unpad(field) : field);
            }
        }
        return out.toString();
    }

    private static String unpad(String field) {
        int k = 0;
        while (k < field.length() - 1 && (field.charAt(k) == '0' || field.charAt(k) == ' ')) {
            k++;
        }
        return field.substring(k);
    }

    private static String field(ZonedDateTime t, char code) {
        return switch (code) {
            case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US);
            case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.US);
            case 'c' -> format(t, "%a %b %e %H:%M:%S %Y");
            case 'd' -> two(t.getDayOfMonth());
            case 'e' -> String.format("%2d", t.getDayOfMonth());
            case 'f' -> String.format("%06d", t.getNano() / 1000);
            case 'H' -> two(t.getHour());
            case 'I' -> two(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
            case 'j' -> String.format("%03d", t.getDayOfYear());
            case 'm' -> two(t.getMonthValue());
            case 'M' -> two(t.getMinute());
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'S' -> two(t.getSecond());
            case 'u' -> Integer.toString(t.getDayOfWeek().getValue());
            case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
            case 'x' -> format(t, "%m/%d/%y");
            case 'X' -> format(t, "%H:%M:%S");
            case 'y' -> two(t.getYear() % 100);
            case 'Y' -> Integer.toString(t.getYear());
            case 'G' -> Integer.toString(t.get(IsoFields.WEEK_BASED_YEAR));
            case 'V' -> two(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case 'U' -> two((t.getDayOfYear() + 6 - t.getDayOfWeek().getValue() % 7) / 7);
            case 'W' -> two((t.getDayOfYear() + 6 - (t.getDayOfWeek().getValue() + 6) % 7) / 7);
            // datetime.now() is naive: no offset, no zone name.
            case 'z', 'Z' -> "";
            case 's' -> Long.toString(t.toEpochSecond());
            case 'D' -> format(t, "%m/%d/%y");
            case 'F' -> format(t, "%Y-%m-%d");
            case 'T' -> format(t, "%H:%M:%S");
            case 'R' -> format(t, "%H:%M");
            case 'n' -> "\n";
            case 't' -> "\t";
            case '%' -> "%";
            default -> null;
        };
    }

    private static String two(int value) {
        return String.format("%02d", value);
    }
}
