package ai.assay.reference.alpacaeval;

import ai.assay.reference.alpacaeval.data.LengthControlData;
import ai.assay.reference.alpacaeval.data.LengthControlDataReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The AlpacaEval 2 conformance fixture under {@code src/test/resources/alpacaeval} (see the README there): eight
 * upstream annotation files, the two length-control input files and the expected values; and a data directory
 * built from it as {@code assay.alpaca-eval.data-dir} expects one. Other modules read it from this module's
 * test-jar, so everything they call reads resources as streams.
 */
public final class AlpacaEvalFixtures {

    /** The models of {@code expected.json}, each with its annotations file. */
    public static final List<String> MODELS = List.of(
            "gpt4_1106_preview",
            "FuseChat-Gemma-2-9B-Instruct",
            "claude-2",
            "gpt-3.5-turbo-1106",
            "alpaca-7b",
            "gpt4_gamed",
            "NullModel",
            "text_davinci_001");

    /** The files that keep the judge's raw completions. */
    public static final List<String> MODELS_WITH_RAW_COMPLETIONS =
            List.of("claude-2", "gpt-3.5-turbo-1106", "alpaca-7b", "gpt4_gamed", "NullModel", "text_davinci_001");

    public static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Map<String, List<HeadToHeadAnnotation>> ANNOTATIONS = new ConcurrentHashMap<>();
    private static volatile JsonNode expected;
    private static volatile LengthControlData lengthControlData;

    private AlpacaEvalFixtures() {}

    public static JsonNode expected() {
        if (expected == null) {
            expected = readGzippedJson("alpacaeval/expected.json.gz");
        }
        return expected;
    }

    public static JsonNode expectedFor(String model) {
        return expected().get("models").get(model);
    }

    /** What the reference computed for {@code model}. */
    public static JsonNode computedFor(String model) {
        return expectedFor(model).get("computed");
    }

    /** A model's annotation file as upstream wrote it. */
    public static JsonNode annotationsJson(String model) {
        return readGzippedJson("alpacaeval/annotations/" + model + ".json.gz");
    }

    public static List<HeadToHeadAnnotation> annotations(String model) {
        return ANNOTATIONS.computeIfAbsent(model, m -> AnnotationsJson.read(annotationsJson(m)));
    }

    public static LengthControlData lengthControlData() {
        if (lengthControlData == null) {
            lengthControlData = new LengthControlDataReader().load(lengthControlDirectory());
        }
        return lengthControlData;
    }

    /** A directory with the two length-control files (copied, so it works from the test-jar too). */
    public static Path lengthControlDirectory() {
        try {
            Path dir = Files.createTempDirectory("alpaca-eval-lc-data");
            dir.toFile().deleteOnExit();
            copyLengthControlFiles(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyLengthControlFiles(Path dir) throws IOException {
        for (String file : new String[] {"df_gamed.csv", "instruction_difficulty.csv"}) {
            try (InputStream in = open("alpacaeval/lc-data/" + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
    }

    public static Path resourcePath(String name) {
        URL url = AlpacaEvalFixtures.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
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
            for (JsonNode record : annotationsJson("gpt4_1106_preview")) {
                evalSet.addObject()
                        .put("instruction", record.get("instruction").stringValue())
                        .put("output", record.get("output_1").stringValue())
                        .put("generator", record.get("generator_1").stringValue())
                        .put("dataset", record.get("dataset").stringValue());
            }
            Files.writeString(dir.resolve("alpaca_eval_gpt4_baseline.json"), MAPPER.writeValueAsString(evalSet));
            copyLengthControlFiles(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode readJson(String name) {
        try (InputStream in = open(name)) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readGzippedJson(String name) {
        try (InputStream in = new GZIPInputStream(open(name), 1 << 16)) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = AlpacaEvalFixtures.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        return in;
    }
}
