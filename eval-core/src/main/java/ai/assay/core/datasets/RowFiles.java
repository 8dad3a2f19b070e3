package ai.assay.core.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads dataset files into rows: parquet through DuckDB's in-process engine (no hand-written parquet parsing), JSON
 * Lines with Jackson. Row order is the file's order; member order is the column (feature) order.
 */
public final class RowFiles {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private RowFiles() {}

    public static boolean isParquet(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
    }

    /** Reads a {@code .parquet} or {@code .jsonl} file. */
    public static List<ObjectNode> read(Path file) {
        return isParquet(file) ? readParquet(file) : readJsonLines(file);
    }

    /** Every line that is not blank must hold one JSON object. */
    public static List<ObjectNode> readJsonLines(Path file) {
        List<ObjectNode> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row;
                try {
                    row = MAPPER.readTree(line);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(
                            "%s, line %d: not JSON: %s".formatted(file, number, e.getMessage()), e);
                }
                if (!(row instanceof ObjectNode object)) {
                    throw new IllegalArgumentException(
                            "%s, line %d: a row must be a JSON object".formatted(file, number));
                }
                rows.add(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return rows;
    }

    /**
     * Reads a parquet file row by row as JSON. Top-level 32-bit float columns are widened to double first, so a
     * value reads as the Python float the {@code datasets} library gives (0.1f becomes 0.10000000149011612).
     */
    public static List<ObjectNode> readParquet(Path file) {
        String source = "read_parquet(" + sqlString(file.toAbsolutePath().toString()) + ")";
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("SET preserve_insertion_order = true");
            List<String> floats = new ArrayList<>();
            try (ResultSet columns = statement.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                while (columns.next()) {
                    if ("FLOAT".equalsIgnoreCase(columns.getString("column_type"))) {
                        floats.add(columns.getString("column_name"));
                    }
                }
            }
            String select = floats.isEmpty()
                    ? "SELECT * FROM " + source
                    : "SELECT * REPLACE ("
                            + String.join(
                                    ", ",
                                    floats.stream()
                                            .map(c -> "CAST(" + sqlIdentifier(c) + " AS DOUBLE) AS " + sqlIdentifier(c))
                                            .toList())
                            + ") FROM " + source;
            List<ObjectNode> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery("SELECT to_json(t) FROM (" + select + ") t")) {
                while (result.next()) {
                    rows.add((ObjectNode) MAPPER.readTree(result.getString(1)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot read parquet file %s: %s".formatted(file, e.getMessage()), e);
        }
    }

    /** Writes rows as a parquet file (used to build test data and by tools that convert JSON Lines). */
    public static void writeParquet(Path jsonLines, Path parquet) {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("COPY (SELECT * FROM read_json("
                    + sqlString(jsonLines.toAbsolutePath().toString())
                    + ", format = 'newline_delimited')) TO "
                    + sqlString(parquet.toAbsolutePath().toString())
                    + " (FORMAT parquet)");
        } catch (SQLException e) {
            throw new IllegalArgumentException(
                    "cannot write parquet file %s: %s".formatted(parquet, e.getMessage()), e);
        }
    }

    private static String sqlString(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String sqlIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
