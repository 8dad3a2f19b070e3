package ai.assay.core.lmeval.taskfiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The product carries none of the files it downloads: no resource of the main classpath (eval-core's and
 * eval-reference's classes and every library; test classes left out) has the path or the content of a file in the
 * manifest, whatever its name.
 */
class ShippedTaskFilesTests {

    private static final TaskFileManifest PINNED = TaskFileManifest.pinned();

    @Test
    void noGenerationTaskFileIsOnTheProductsClasspath() throws IOException {
        List<Resource> candidates = productResources();
        Set<String> checksums = Set.copyOf(PINNED.files().values());
        Map<String, String> offenders = new java.util.TreeMap<>();
        for (Resource resource : candidates) {
            String url = resource.getURL().toString();
            for (String path : PINNED.files().keySet()) {
                if (url.endsWith("/" + path)) {
                    offenders.put(url, "has the path of " + path);
                }
            }
            try (InputStream in = resource.getInputStream()) {
                if (checksums.contains(Sha256.of(in.readAllBytes()))) {
                    offenders.put(url, "has the content of a manifest file");
                }
            }
        }

        // The scan sees the product's task tree: the shipped multiple-choice tasks are among the candidates.
        assertThat(candidates.stream().map(ShippedTaskFilesTests::url))
                .anyMatch(url -> url.endsWith("lmeval/tasks/arc/arc_easy.yaml"))
                .anyMatch(url -> url.endsWith("lmeval/tasks/mmlu/_default_template.yaml"));
        assertThat(offenders).isEmpty();
    }

    /** Every YAML file, and every file named like BBH's {@code _cot_fewshot_template_yaml}, outside test classes. */
    private static List<Resource> productResources() throws IOException {
        PathMatchingResourcePatternResolver resolver =
                new PathMatchingResourcePatternResolver(ShippedTaskFilesTests.class.getClassLoader());
        List<Resource> resources = new ArrayList<>();
        for (String pattern : List.of("classpath*:**/*.yaml", "classpath*:**/*.yml", "classpath*:**/*_yaml")) {
            for (Resource resource : resolver.getResources(pattern)) {
                String url = url(resource);
                if (resource.isReadable() && !url.contains("/test-classes/") && !url.contains("-tests.jar")) {
                    resources.add(resource);
                }
            }
        }
        return resources.stream()
                .collect(Collectors.toMap(ShippedTaskFilesTests::url, r -> r, (a, b) -> a))
                .values()
                .stream()
                .toList();
    }

    private static String url(Resource resource) {
        try {
            return resource.getURL().toString();
        } catch (IOException e) {
            return resource.getDescription();
        }
    }
}
