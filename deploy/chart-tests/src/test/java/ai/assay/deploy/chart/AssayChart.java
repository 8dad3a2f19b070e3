package ai.assay.deploy.chart;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The chart under {@code deploy/helm/assay}, rendered and linted by Helm running in-process (helm-java), the way
 * {@code helm template} and {@code helm lint} would.
 */
final class AssayChart {

    static final String RELEASE = "assay";
    static final String NAMESPACE = "assay";
    /**
     * The oldest Kubernetes version Chart.yaml accepts. Helm as a library reports v1.20 by default, which the chart
     * refuses, so every rendering names the version explicitly.
     */
    static final String KUBE_VERSION = "1.27.0";

    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

    private AssayChart() {}

    static Path dir() {
        return Path.of(System.getProperty("assay.chart.dir", "../helm/assay"))
                .toAbsolutePath()
                .normalize();
    }

    static Path ciValues(String fileName) {
        return dir().resolve("ci").resolve(fileName);
    }

    static String appVersion() {
        return (String) readYaml(dir().resolve("Chart.yaml")).get("appVersion");
    }

    /** Renders the chart with its default values. */
    static Rendered defaults() {
        return render(null, Map.of());
    }

    /** Renders the chart with one values file from {@code ci/}. */
    static Rendered withCiValues(String fileName) {
        return render(ciValues(fileName), Map.of());
    }

    /**
     * Renders the chart like {@code helm template assay <chart> -n assay [-f valuesFile] [--set k=v ...]} and parses
     * every object; renderings are cached, as the chart does not change during a test run.
     */
    static Rendered render(Path valuesFile, Map<String, String> sets) {
        String key = valuesFile + " " + new java.util.TreeMap<>(sets);
        return CACHE.computeIfAbsent(key, k -> Rendered.parse(template(valuesFile, sets)));
    }

    /** The raw output of {@code helm template}; throws {@link IllegalStateException} with Helm's message on failure. */
    static String template(Path valuesFile, Map<String, String> sets) {
        TemplateCommand command = new Helm(dir())
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, String> set : new LinkedHashMap<>(sets).entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command.call();
    }

    /** NOTES.txt as {@code helm install --dry-run=client} prints it (helm template leaves it out). */
    static String notes(Path valuesFile) {
        return notes(valuesFile, Map.of());
    }

    /** NOTES.txt with {@code --set k=v ...} too. */
    static String notes(Path valuesFile, Map<String, String> sets) {
        InstallCommand command = new Helm(dir())
                .install()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION)
                .clientOnly()
                .withDryRunOption(DryRun.CLIENT);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, String> set : new LinkedHashMap<>(sets).entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        String output = command.call().getOutput();
        int notes = output.indexOf("NOTES:");
        return notes < 0 ? "" : output.substring(notes);
    }

    /** {@code helm lint --strict} on the chart with its default values. */
    static LintResult lint() {
        return new Helm(dir()).lint().strict().call();
    }

    /**
     * {@code helm lint --strict -f valuesFile}. helm-java's lint takes no values file, so the chart is copied to
     * {@code workDir} with the file merged into its values.yaml the way Helm merges a {@code -f} file.
     */
    static LintResult lint(Path valuesFile, Path workDir) {
        Path copy = workDir.resolve("assay");
        copyTree(dir(), copy);
        Map<String, Object> merged = HelmValues.merge(readYaml(dir().resolve("values.yaml")), readYaml(valuesFile));
        try {
            Files.writeString(copy.resolve("values.yaml"), YAML.writeValueAsString(merged));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Helm(copy).lint().strict().call();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readYaml(Path file) {
        try {
            Map<String, Object> values = YAML.readValue(Files.readString(file), Map.class);
            return values == null ? new LinkedHashMap<>() : values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
