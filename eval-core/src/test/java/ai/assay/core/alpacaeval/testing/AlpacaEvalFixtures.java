package ai.assay.core.alpacaeval.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The AlpacaEval fixture (in eval-core's test resources: real annotation files, the length-control CSVs and the
 * expected metrics), and a data directory built from it as {@code assay.alpaca-eval.data-dir} expects one.
 */
public final class AlpacaEvalFixtures {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private AlpacaEvalFixtures() {}

    public static JsonNode annotations(String model) {
        return gzippedJson("alpacaeval/annotations/" + model + ".json.gz");
    }

    public static JsonNode expected(String model) {
        return gzippedJson("alpacaeval/expected.json.gz")
                .get("models")
                .get(model)
                .get("computed");
    }

    /**
     * A directory with the eval set (instructions and reference answers, taken from the baseline's annotations
     * against itself, which are in eval-set order) and the two length-control files.
     */
    public static Path dataDirectory() {
        try {
            Path dir = Files.createTempDirectory("alpaca-eval-data");
            dir.toFile().deleteOnExit();
            ArrayNode evalSet = JsonNodeFactory.instance.arrayNode();
            for (JsonNode record : annotations("gpt4_1106_preview")) {
                evalSet.addObject()
                        .put("instruction", record.get("instruction").stringValue())
                        .put("output", record.get("output_1").stringValue())
                        .put("generator", record.get("generator_1").stringValue())
                        .put("dataset", record.get("dataset").stringValue());
            }
            Files.writeString(dir.resolve("alpaca_eval_gpt4_baseline.json"), MAPPER.writeValueAsString(evalSet));
            for (String file : new String[] {"df_gamed.csv", "instruction_difficulty.csv"}) {
                try (InputStream in = resource("alpacaeval/lc-data/" + file)) {
                    Files.copy(in, dir.resolve(file));
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode gzippedJson(String resource) {
        try (InputStream in = new GZIPInputStream(resource(resource))) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = AlpacaEvalFixtures.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("no test resource " + name);
        }
        return in;
    }
}
