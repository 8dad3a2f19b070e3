package ai.assay.worker.engine.checkpoint;

import ai.assay.worker.engine.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Hugging Face checkpoint directory as {@code save_pretrained} writes it: {@code config.json} and the weights,
 * either one {@code model.safetensors} or shards named by {@code model.safetensors.index.json}'s
 * {@code weight_map} (the layout transformers' {@code load_sharded_checkpoint} reads). Opening validates every
 * file and checks that each tensor the family needs is present with the shape its config implies; tensors the
 * family does not use (an old Llama's {@code rotary_emb.inv_freq}, a tied {@code lm_head.weight}) are left alone.
 * <p>The tensors are slices of memory mappings; they stay valid until {@link #close}, after which the checkpoint
 * hands out nothing more and drops its references so the mappings can be released.
 */
public final class HfCheckpoint implements DecoderWeights, AutoCloseable {

    /**
     * Part of every {@link #cacheKey}: raise it whenever what is built from a checkpoint changes, so an old build
     * is never taken for a new one.
     */
    public static final String BUILDER_VERSION = "1";

    static final String CONFIG = "config.json";
    static final String SINGLE = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DecoderConfig config;
    private final List<String> weightFiles;
    private final List<CheckpointFile> manifest;
    private final String cacheKey;
    private volatile Map<String, Tensor> tensors;

    private HfCheckpoint(
            DecoderConfig config,
            List<String> weightFiles,
            Map<String, Tensor> tensors,
            List<CheckpointFile> manifest,
            String cacheKey) {
        this.config = config;
        this.weightFiles = List.copyOf(weightFiles);
        this.tensors = tensors;
        this.manifest = List.copyOf(manifest);
        this.cacheKey = cacheKey;
    }

    /** Opens, validates and hashes the checkpoint in {@code directory}; the messages name the file and tensor. */
    public static HfCheckpoint open(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new ModelLoadException("checkpoint directory " + directory.getFileName() + " does not exist");
        }
        Path configFile = directory.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new ModelLoadException("checkpoint has no " + CONFIG);
        }
        DecoderConfig config = DecoderConfig.read(configFile);
        Map<String, String> fileOfTensor = null;
        List<String> weightFiles;
        if (Files.isRegularFile(directory.resolve(INDEX))) {
            fileOfTensor = weightMap(directory.resolve(INDEX));
            weightFiles = List.copyOf(new TreeSet<>(fileOfTensor.values()));
            for (String shard : weightFiles) {
                if (!Files.isRegularFile(directory.resolve(shard))) {
                    throw new ModelLoadException(INDEX + " names shard " + shard + ", which is missing (it holds "
                            + firstTensorIn(fileOfTensor, shard) + ")");
                }
            }
        } else if (Files.isRegularFile(directory.resolve(SINGLE))) {
            weightFiles = List.of(SINGLE);
        } else {
            throw new ModelLoadException("checkpoint has neither " + SINGLE + " nor " + INDEX);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String file : weightFiles) {
            for (Tensor t : SafetensorsFile.read(directory.resolve(file)).values()) {
                if (fileOfTensor != null && !file.equals(fileOfTensor.get(t.name()))) {
                    throw new ModelLoadException(file + ": tensor " + t.name() + " is not where " + INDEX + " puts it ("
                            + fileOfTensor.get(t.name()) + ")");
                }
                if (tensors.putIfAbsent(t.name(), t) != null) {
                    throw new ModelLoadException(file + ": tensor " + t.name() + " is also in "
                            + tensors.get(t.name()).file());
                }
            }
        }
        if (fileOfTensor != null) {
            for (Map.Entry<String, String> e : fileOfTensor.entrySet()) {
                if (!tensors.containsKey(e.getKey())) {
                    throw new ModelLoadException(e.getValue() + ": tensor " + e.getKey() + " is named in " + INDEX
                            + " but absent from the shard");
                }
            }
        }
        for (Map.Entry<String, List<Long>> expected : config.expectedTensors().entrySet()) {
            Tensor t = tensors.get(expected.getKey());
            if (t == null) {
                throw new ModelLoadException(
                        "checkpoint has no tensor " + expected.getKey() + " (model_type " + config.modelType() + ")");
            }
            if (!t.shape().equals(expected.getValue())) {
                throw new ModelLoadException(t.file() + ": tensor " + t.name() + " has shape " + t.shape()
                        + " but config.json implies " + expected.getValue());
            }
        }
        List<CheckpointFile> manifest = manifest(directory);
        return new HfCheckpoint(config, weightFiles, tensors, manifest, cacheKey(manifest, weightFiles));
    }

    @Override
    public DecoderConfig config() {
        return config;
    }

    /** The weight files read, by name in the directory (one, or the shards in name order). */
    public List<String> weightFiles() {
        return weightFiles;
    }

    /** Every tensor in the weight files by name, the family's and any others. */
    public Set<String> tensorNames() {
        return Set.copyOf(open().keySet());
    }

    @Override
    public Tensor tensor(String name) {
        Tensor t = open().get(name);
        if (t == null) {
            throw new IllegalArgumentException("checkpoint has no tensor " + name);
        }
        return t;
    }

    /**
     * The weight tensor a logit projection uses: {@code lm_head.weight}, or the embeddings where they are tied
     * (transformers' {@code tie_weights} makes them one parameter).
     */
    public Tensor outputEmbedding() {
        return tensor(config.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight");
    }

    /** Every regular file at the directory's top level (tokenizer files too), by name, with size and SHA-256. */
    public List<CheckpointFile> manifest() {
        return manifest;
    }

    /**
     * SHA-256 (hex) over the builder version, {@code config.json}'s hash and each weight file's name and hash: what
     * a built model is cached under. Tokenizer files are left out; they do not enter the graph.
     */
    public String cacheKey() {
        return cacheKey;
    }

    @Override
    public void close() {
        tensors = null;
    }

    private Map<String, Tensor> open() {
        Map<String, Tensor> t = tensors;
        if (t == null) {
            throw new IllegalStateException("checkpoint is closed");
        }
        return t;
    }

    private static Map<String, String> weightMap(Path index) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(index));
        } catch (IOException | JacksonException e) {
            throw new ModelLoadException(INDEX + " cannot be read: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new ModelLoadException(INDEX + " has no weight_map object");
        }
        Map<String, String> fileOfTensor = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String shard = e.getValue().isString() ? e.getValue().stringValue() : "";
            // a shard name is a plain file name in the directory, never a path out of it
            if (shard.isEmpty()
                    || shard.contains("/")
                    || shard.contains("\\")
                    || shard.equals("..")
                    || !shard.endsWith(".safetensors")) {
                throw new ModelLoadException(INDEX + ": tensor " + e.getKey() + " maps to " + e.getValue()
                        + ", not a .safetensors file in the directory");
            }
            fileOfTensor.put(e.getKey(), shard);
        }
        return fileOfTensor;
    }

    private static String firstTensorIn(Map<String, String> fileOfTensor, String shard) {
        return fileOfTensor.entrySet().stream()
                .filter(e -> e.getValue().equals(shard))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
    }

    private static List<CheckpointFile> manifest(Path directory) {
        List<CheckpointFile> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path p : entries.filter(Files::isRegularFile).sorted().toList()) {
                files.add(CheckpointFile.of(p.getFileName().toString(), Files.size(p), sha256(p)));
            }
        } catch (IOException e) {
            throw new ModelLoadException("checkpoint directory cannot be listed: " + e.getMessage(), e);
        }
        return files;
    }

    /** Streams the file through the digest in 1 MiB reads, so a shard of gigabytes never sits on the heap. */
    static String sha256(Path file) {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new ModelLoadException(file.getFileName() + ": cannot be read: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String cacheKey(List<CheckpointFile> manifest, List<String> weightFiles) {
        Map<String, String> hashes = new TreeMap<>();
        manifest.forEach(f -> hashes.put(f.name(), f.sha256()));
        MessageDigest digest = sha256();
        StringBuilder key = new StringBuilder("assay-checkpoint-builder " + BUILDER_VERSION + "\n");
        key.append(CONFIG).append(' ').append(hashes.get(CONFIG)).append('\n');
        for (String file : weightFiles) {
            key.append(file).append(' ').append(hashes.get(file)).append('\n');
        }
        return HexFormat.of().formatHex(digest.digest(key.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
