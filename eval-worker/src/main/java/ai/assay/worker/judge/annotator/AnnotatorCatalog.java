package ai.assay.worker.judge.annotator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Finds an annotator by name, in this order:
 * <ol>
 * <li>the configured directory ({@code assay.judge.annotators-dir}): {@code <name>/configs.yaml} laid out like
 * alpaca_eval's {@code evaluators_configs} (a relative {@code prompt_template} is looked up from the directory, then
 * from the config's folder), or a HALOs-style {@code <name>.yaml} next to its template;</li>
 * <li>the download cache ({@code <cache-dir>/judges/alpaca_eval/<commit>/}), the same layout;</li>
 * <li>alpaca_eval's repository at the pinned commit, downloaded into the cache (never in offline mode).</li>
 * </ol>
 * A {@code prompt_template} is a path or, if it has a line break or a {@code {output_} placeholder, the template
 * itself. An absolute path that does not exist (HALOs' configs point into their author's home directory) falls back to
 * the file of that name next to the config. A template that cannot be found is an error naming the places looked at.
 */
public class AnnotatorCatalog {

    private static final Logger log = LoggerFactory.getLogger(AnnotatorCatalog.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final Path annotatorsDir;
    private final Path cacheRoot;
    private final boolean offline;
    private final AlpacaEvalConfigFiles remote;
    private final AnnotatorConfigReader reader = new AnnotatorConfigReader();

    /**
     * @param annotatorsDir the mounted configs, or null
     * @param cacheDir      {@code assay.cache-dir}; downloads go under {@code judges/alpaca_eval/<commit>}
     */
    public AnnotatorCatalog(Path annotatorsDir, Path cacheDir, boolean offline, AlpacaEvalConfigFiles remote) {
        this.annotatorsDir = annotatorsDir;
        this.cacheRoot = cacheDir.resolve("judges").resolve("alpaca_eval").resolve(remote.commit());
        this.offline = offline;
        this.remote = remote;
    }

    /** @throws AnnotatorConfigException if it cannot be found, downloaded or read */
    public Annotator resolve(String requested) {
        String name = requested.endsWith(".yaml") || requested.endsWith(".yml")
                ? requested.substring(0, requested.lastIndexOf('.'))
                : requested;
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            throw new AnnotatorConfigException("'" + requested + "' is not an annotator name");
        }
        List<Path> looked = new ArrayList<>();
        if (annotatorsDir != null) {
            Path folder = annotatorsDir.resolve(name).resolve("configs.yaml");
            looked.add(folder);
            if (Files.isRegularFile(folder)) {
                return load(name, folder, List.of(annotatorsDir, folder.getParent()));
            }
            for (String extension : List.of(".yaml", ".yml")) {
                Path file = annotatorsDir.resolve(name + extension);
                looked.add(file);
                if (Files.isRegularFile(file)) {
                    return load(name, file, List.of(annotatorsDir));
                }
            }
        }
        Path cached = cacheRoot.resolve(name).resolve("configs.yaml");
        looked.add(cached);
        if (Files.isRegularFile(cached)) {
            return load(name, cached, List.of(cacheRoot, cached.getParent()));
        }
        if (offline) {
            throw new AnnotatorConfigException("annotator " + name + " not found: looked for " + looked
                    + "; offline mode (assay.judge.offline) does not download alpaca_eval's configs: put"
                    + " <name>/configs.yaml and its prompt template into assay.judge.annotators-dir");
        }
        download(name);
        return load(name, cached, List.of(cacheRoot, cached.getParent()));
    }

    private Annotator load(String name, Path config, List<Path> roots) {
        String yaml = read(config);
        return reader.read(name, yaml, config.toString(), value -> template(name, value, roots, config.getParent()));
    }

    private String template(String name, String value, List<Path> roots, Path configDir) {
        if (isLiteral(value)) {
            return value;
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (RuntimeException e) {
            throw new AnnotatorConfigException(
                    "annotator " + name + ": prompt_template '" + value + "' is neither a path nor a template");
        }
        Set<Path> candidates = new LinkedHashSet<>();
        if (path.isAbsolute()) {
            candidates.add(path);
            if (path.getFileName() != null) {
                candidates.add(configDir.resolve(path.getFileName().toString()));
            }
        } else {
            for (Path root : roots) {
                Path candidate = root.resolve(path).normalize();
                if (candidate.startsWith(root.normalize())) {
                    candidates.add(candidate);
                }
            }
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                if (path.isAbsolute() && !candidate.equals(path)) {
                    log.info(
                            "Annotator {}: prompt template {} does not exist; using {} next to the config",
                            name,
                            path,
                            candidate);
                }
                return read(candidate);
            }
        }
        throw new AnnotatorConfigException("annotator " + name + ": prompt template '" + value + "' not found"
                + " (looked at " + candidates + ")");
    }

    private static boolean isLiteral(String value) {
        return value.contains("\n") || value.contains("{output_");
    }

    private void download(String name) {
        String configPath = name + "/configs.yaml";
        log.info("Downloading annotator {} from {}", name, remote.location(configPath));
        String yaml = remote.fetch(configPath);
        if (yaml == null) {
            throw new AnnotatorConfigException("annotator " + name + " is not configured (assay.judge"
                    + ".annotators-dir) and is not one of alpaca_eval's evaluators_configs at commit " + remote.commit()
                    + " (" + remote.location(configPath) + " does not exist)");
        }
        String templateValue = promptTemplateOf(name, yaml);
        if (templateValue != null && !isLiteral(templateValue)) {
            Path relative = Path.of(templateValue).normalize();
            if (relative.isAbsolute() || relative.startsWith("..")) {
                throw new AnnotatorConfigException("annotator " + name + ": downloaded config has prompt_template '"
                        + templateValue + "', which is not a path inside evaluators_configs");
            }
            String templatePath = relative.toString().replace('\\', '/');
            String template = remote.fetch(templatePath);
            if (template == null) {
                throw new AnnotatorConfigException("annotator " + name + ": its prompt template "
                        + remote.location(templatePath) + " does not exist");
            }
            write(cacheRoot.resolve(relative), template);
        }
        // The config last: its presence marks a complete download.
        write(cacheRoot.resolve(name).resolve("configs.yaml"), yaml);
    }

    private static String promptTemplateOf(String name, String yaml) {
        try {
            JsonNode root = YAML.readTree(yaml);
            if (root == null || !root.isObject() || root.size() != 1) {
                return null; // the reader reports what is wrong
            }
            JsonNode value = root.get(root.propertyNames().iterator().next()).get("prompt_template");
            return value == null || !value.isString() ? null : value.stringValue();
        } catch (JacksonException e) {
            throw new AnnotatorConfigException(
                    "annotator " + name + ": downloaded config is not valid YAML: " + e.getOriginalMessage());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AnnotatorConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), ".download-", ".tmp");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new AnnotatorConfigException("cannot write the judge cache file " + file + ": " + e.getMessage(), e);
        }
    }
}
