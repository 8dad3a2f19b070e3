package ai.assay.deploy.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The objects of one {@code helm template} run, each parsed into fabric8's typed Kubernetes model and checked by
 * {@link ManifestValidator}: a document that is not a valid object fails the parse.
 */
record Rendered(String yaml, List<Document> documents) {

    /** One rendered object with the template it came from. */
    record Document(String source, String yaml, HasMetadata object) {}

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final Pattern SOURCE = Pattern.compile("(?m)^# Source: (.+)$");

    static Rendered parse(String yaml) {
        List<Document> documents = new ArrayList<>();
        for (String text : DOCUMENT_SEPARATOR.split(yaml)) {
            if (text.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            Matcher source = SOURCE.matcher(text);
            String name = source.find() ? source.group(1) : "(unknown template)";
            KubernetesResource resource;
            try {
                resource = SERIALIZATION.unmarshal(text);
            } catch (RuntimeException e) {
                throw new AssertionError(name + " is not a valid Kubernetes object: " + e.getMessage(), e);
            }
            if (!(resource instanceof HasMetadata object)) {
                throw new AssertionError(
                        name + " rendered " + resource.getClass().getSimpleName() + ", not one Kubernetes object");
            }
            documents.add(new Document(name, text, object));
        }
        Rendered rendered = new Rendered(yaml, List.copyOf(documents));
        List<String> problems = ManifestValidator.problems(rendered);
        if (!problems.isEmpty()) {
            throw new AssertionError("Invalid rendered objects:\n  " + String.join("\n  ", problems));
        }
        return rendered;
    }

    List<HasMetadata> objects() {
        return documents.stream().map(Document::object).toList();
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects().stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return find(type, name)
                .orElseThrow(() -> new NoSuchElementException(
                        "no " + type.getSimpleName() + " named " + name + " in " + kindsAndNames()));
    }

    /** Custom resources (KEDA, Prometheus Operator) of one kind; fabric8 has no typed model for them. */
    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals(kind))
                .toList();
    }

    GenericKubernetesResource oneCustom(String kind, String name) {
        return custom(kind).stream()
                .filter(r -> r.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(
                        () -> new NoSuchElementException("no " + kind + " named " + name + " in " + kindsAndNames()));
    }

    List<String> kindsAndNames() {
        return objects().stream()
                .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .toList();
    }

    Deployment apiDeployment() {
        return one(Deployment.class, AssayChart.RELEASE + "-api");
    }

    Deployment workerDeployment() {
        return one(Deployment.class, AssayChart.RELEASE + "-worker");
    }

    static Container container(Deployment deployment) {
        List<Container> containers =
                deployment.getSpec().getTemplate().getSpec().getContainers();
        if (containers.size() != 1) {
            throw new AssertionError(deployment.getMetadata().getName() + " has " + containers.size() + " containers");
        }
        return containers.get(0);
    }

    /** The ConfigMap a container reads its environment from, as a map. */
    Map<String, String> configOf(Container container) {
        String name = container.getEnvFrom().get(0).getConfigMapRef().getName();
        return one(ConfigMap.class, name).getData();
    }
}
