package ai.assay.reference.alpacaeval.data;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads {@code instruction_difficulty.csv} and {@code df_gamed.csv} (the files AlpacaEval downloads from its Hugging
 * Face dataset repository) from one directory. Values are parsed as pandas' {@code read_csv} would: empty cells and
 * pandas' usual NA spellings are NaN, {@code True}/{@code False} are booleans.
 */
public final class LengthControlDataReader {

    public static final String INSTRUCTION_DIFFICULTY_FILE = "instruction_difficulty.csv";
    public static final String GAMED_BASELINE_FILE = "df_gamed.csv";

    private static final Set<String> NA_VALUES =
            Set.of("", "nan", "NaN", "NA", "N/A", "n/a", "NULL", "null", "None", "<NA>", "#N/A", "-nan", "-NaN");

    private static final CSVFormat FORMAT =
            CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();

    public LengthControlData load(Path directory) {
        return new LengthControlData(
                readGamedBaseline(directory.resolve(GAMED_BASELINE_FILE)),
                readInstructionDifficulty(directory.resolve(INSTRUCTION_DIFFICULTY_FILE)));
    }

    public GamedBaselineRows readGamedBaseline(Path file) {
        List<CSVRecord> records =
                records(file, "preference", "index", "std_delta_len", "instruction_difficulty", "not_gamed_baseline");
        int n = records.size();
        double[] preference = new double[n];
        int[] index = new int[n];
        double[] stdDeltaLength = new double[n];
        double[] difficulty = new double[n];
        boolean[] notGamed = new boolean[n];
        for (int row = 0; row < n; row++) {
            CSVRecord record = records.get(row);
            preference[row] = number(record, "preference", file);
            index[row] = integer(record, "index", file);
            stdDeltaLength[row] = number(record, "std_delta_len", file);
            difficulty[row] = number(record, "instruction_difficulty", file);
            notGamed[row] = bool(record, "not_gamed_baseline", file);
        }
        return new GamedBaselineRows(preference, index, stdDeltaLength, difficulty, notGamed);
    }

    /** The file must list instructions 0..n-1 in order (as the published one does). */
    public InstructionDifficulty readInstructionDifficulty(Path file) {
        List<CSVRecord> records = records(file, "index", "instruction_difficulty");
        double[] values = new double[records.size()];
        for (int row = 0; row < records.size(); row++) {
            CSVRecord record = records.get(row);
            int index = integer(record, "index", file);
            if (index != row) {
                throw new IllegalArgumentException(file.getFileName() + ": expected index " + row + " in record "
                        + record.getRecordNumber() + ", found " + index);
            }
            values[row] = number(record, "instruction_difficulty", file);
        }
        return new InstructionDifficulty(values);
    }

    private static List<CSVRecord> records(Path file, String... requiredColumns) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = FORMAT.parse(reader)) {
            List<String> header = parser.getHeaderNames();
            for (String column : requiredColumns) {
                if (!header.contains(column)) {
                    throw new IllegalArgumentException(file.getFileName() + " has no column " + column);
                }
            }
            return new ArrayList<>(parser.getRecords());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static double number(CSVRecord record, String column, Path file) {
        String text = record.get(column).strip();
        if (NA_VALUES.contains(text)) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw invalid(record, column, file, e);
        }
    }

    private static int integer(CSVRecord record, String column, Path file) {
        try {
            return Integer.parseInt(record.get(column).strip());
        } catch (NumberFormatException e) {
            throw invalid(record, column, file, e);
        }
    }

    private static boolean bool(CSVRecord record, String column, Path file) {
        String text = record.get(column).strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true", "1", "1.0" -> true;
            case "false", "0", "0.0" -> false;
            default -> throw invalid(record, column, file, null);
        };
    }

    private static IllegalArgumentException invalid(CSVRecord record, String column, Path file, Exception cause) {
        return new IllegalArgumentException(
                file.getFileName() + " record " + record.getRecordNumber() + ": invalid " + column + " '"
                        + record.get(column) + "'",
                cause);
    }
}
