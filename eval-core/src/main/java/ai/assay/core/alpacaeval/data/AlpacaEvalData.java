package ai.assay.core.alpacaeval.data;

import ai.assay.core.datasets.DatasetUnavailableException;
import ai.assay.core.datasets.HubRepositoryFiles;
import ai.assay.reference.alpacaeval.data.LengthControlData;
import ai.assay.reference.alpacaeval.data.LengthControlDataReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * AlpacaEval's data: the eval set (805 instructions with the reference model's answers) and the two files the
 * length-controlled win rate needs. Each file is read from {@code assay.alpaca-eval.data-dir} when it is there,
 * otherwise from the Hugging Face dataset repository (cached). Read once, then kept.
 */
@Component
public class AlpacaEvalData {

    public static final String EVAL_SET_FILE = "alpaca_eval_gpt4_baseline.json";

    private final AlpacaEvalProperties properties;
    private final HubRepositoryFiles hub;
    private final JsonMapper mapper;
    private volatile List<EvalSetEntry> evalSet;
    private volatile LengthControlData lengthControlData;

    public AlpacaEvalData(AlpacaEvalProperties properties, HubRepositoryFiles hub, JsonMapper mapper) {
        this.properties = properties;
        this.hub = hub;
        this.mapper = mapper;
    }

    /** The eval set in its order; an entry's index is its example id. */
    public List<EvalSetEntry> evalSet() {
        if (evalSet == null) {
            evalSet = readEvalSet(file(EVAL_SET_FILE));
        }
        return evalSet;
    }

    public LengthControlData lengthControlData() {
        if (lengthControlData == null) {
            LengthControlDataReader reader = new LengthControlDataReader();
            lengthControlData = new LengthControlData(
                    reader.readGamedBaseline(file(LengthControlDataReader.GAMED_BASELINE_FILE)),
                    reader.readInstructionDifficulty(file(LengthControlDataReader.INSTRUCTION_DIFFICULTY_FILE)));
        }
        return lengthControlData;
    }

    /** Reads a model_outputs.json (a JSON array of {instruction, output, generator, dataset}). */
    public List<EvalSetEntry> readModelOutputs(Path file) {
        return readEvalSet(file);
    }

    /** From the data directory if it is there, else from the Hub (cached). */
    private Path file(String name) {
        if (properties.dataDir() != null
                && Files.isRegularFile(properties.dataDir().resolve(name))) {
            return properties.dataDir().resolve(name);
        }
        try {
            return hub.datasetFile(properties.repository(), properties.revision(), name);
        } catch (DatasetUnavailableException e) {
            throw new DatasetUnavailableException(
                    e.split(),
                    "AlpacaEval's %s: %s; or put it in".formatted(name, e.getMessage())
                            + " assay.alpaca-eval.data-dir (%s)"
                                    .formatted(properties.dataDir() == null ? "not set" : properties.dataDir()),
                    e);
        }
    }

    private List<EvalSetEntry> readEvalSet(Path file) {
        JsonNode rows;
        try {
            rows = mapper.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (!rows.isArray()) {
            throw new IllegalStateException(file + " is not a JSON array of outputs");
        }
        List<EvalSetEntry> entries = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            if (!row.path("instruction").isString() || !row.path("output").isString()) {
                throw new IllegalStateException(
                        "%s: record %d lacks a string 'instruction' or 'output'".formatted(file.getFileName(), i));
            }
            entries.add(new EvalSetEntry(
                    i,
                    row.get("instruction").stringValue(),
                    row.get("output").stringValue(),
                    row.path("generator").isString() ? row.get("generator").stringValue() : null,
                    row.path("dataset").isString() ? row.get("dataset").stringValue() : null));
        }
        return List.copyOf(entries);
    }
}
