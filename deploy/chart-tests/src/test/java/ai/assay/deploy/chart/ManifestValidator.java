package ai.assay.deploy.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the API server would refuse, or what would leave an object dangling, checked without a cluster: fields the
 * Kubernetes model does not know (fabric8 keeps them aside instead of failing), names and labels that break the
 * DNS rules, malformed quantities, and references to objects or ports the rendering does not contain.
 */
final class ManifestValidator {

    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
    private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ManifestValidator() {}

    static List<String> problems(Rendered rendered) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Rendered.Document document : rendered.documents()) {
            HasMetadata object = document.object();
            String where = document.source() + " " + object.getKind() + "/"
                    + object.getMetadata().getName();
            if (!seen.add(object.getApiVersion() + " " + object.getKind() + " "
                    + object.getMetadata().getName())) {
                problems.add(where + ": rendered twice");
            }
            checkMetadata(object, where, problems);
            if (object instanceof GenericKubernetesResource custom) {
                CustomResources.check(custom, where, problems);
            } else {
                unknownFields(object, object.getKind(), problems, where);
            }
            checkObject(object, rendered, where, problems);
        }
        return problems;
    }

    private static void checkMetadata(HasMetadata object, String where, List<String> problems) {
        String name = object.getMetadata().getName();
        Pattern rule = object instanceof Service ? DNS_1035_LABEL : DNS_SUBDOMAIN;
        int limit = object instanceof Service ? 63 : 253;
        if (name == null || !rule.matcher(name).matches() || name.length() > limit) {
            problems.add(where + ": invalid name " + name);
        }
        if (!AssayChart.NAMESPACE.equals(object.getMetadata().getNamespace())) {
            problems.add(where + ": namespace is " + object.getMetadata().getNamespace() + ", not the release's");
        }
        labels(object.getMetadata().getLabels(), where + " metadata.labels", problems);
        if (object.getMetadata().getLabels() == null
                || !AssayChart.RELEASE.equals(object.getMetadata().getLabels().get("app.kubernetes.io/instance"))) {
            problems.add(where + ": no app.kubernetes.io/instance label");
        }
    }

    private static void labels(Map<String, String> labels, String where, List<String> problems) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            String[] parts = key.split("/", 2);
            String labelName = parts[parts.length - 1];
            boolean prefixOk =
                    parts.length == 1 || (DNS_SUBDOMAIN.matcher(parts[0]).matches() && parts[0].length() <= 253);
            if (!prefixOk
                    || labelName.length() > 63
                    || !LABEL_NAME.matcher(labelName).matches()) {
                problems.add(where + ": invalid label key " + key);
            }
            if (value == null
                    || value.length() > 63
                    || !LABEL_VALUE.matcher(value).matches()) {
                problems.add(where + ": invalid label value " + key + "=" + value);
            }
        });
    }

    private static void checkObject(HasMetadata object, Rendered rendered, String where, List<String> problems) {
        if (object instanceof Deployment deployment) {
            Map<String, String> podLabels =
                    deployment.getSpec().getTemplate().getMetadata().getLabels();
            labels(podLabels, where + " pod labels", problems);
            if (!selects(deployment.getSpec().getSelector(), podLabels)) {
                problems.add(where + ": the selector does not match the pod template's labels");
            }
            podSpec(deployment.getSpec().getTemplate().getSpec(), rendered, where, problems);
        } else if (object instanceof Service service) {
            List<Deployment> targets = rendered.all(Deployment.class).stream()
                    .filter(d -> selects(
                            service.getSpec().getSelector(),
                            d.getSpec().getTemplate().getMetadata().getLabels()))
                    .toList();
            if (targets.size() != 1) {
                problems.add(where + ": selects " + targets.size() + " Deployments, not one");
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                portName(port.getName(), where, problems);
                IntOrString target = port.getTargetPort();
                if (target != null
                        && target.getStrVal() != null
                        && targets.stream().noneMatch(d -> hasPort(d, target.getStrVal()))) {
                    problems.add(where + ": targetPort " + target.getStrVal()
                            + " is no container port of the selected pods");
                }
            }
        } else if (object instanceof PodDisruptionBudget pdb) {
            long covered = rendered.all(Deployment.class).stream()
                    .filter(d -> selects(
                            pdb.getSpec().getSelector(),
                            d.getSpec().getTemplate().getMetadata().getLabels()))
                    .count();
            if (covered != 1) {
                problems.add(where + ": covers " + covered + " Deployments, not one");
            }
            if ((pdb.getSpec().getMinAvailable() == null) == (pdb.getSpec().getMaxUnavailable() == null)) {
                problems.add(where + ": needs exactly one of minAvailable and maxUnavailable");
            }
        } else if (object instanceof HorizontalPodAutoscaler hpa) {
            if (rendered.find(
                            Deployment.class, hpa.getSpec().getScaleTargetRef().getName())
                    .isEmpty()) {
                problems.add(where + ": scales a Deployment that is not rendered");
            }
        } else if (object instanceof Ingress ingress) {
            ingress.getSpec()
                    .getRules()
                    .forEach(rule -> rule.getHttp().getPaths().forEach(path -> {
                        var backend = path.getBackend().getService();
                        var service = rendered.find(Service.class, backend.getName());
                        if (service.isEmpty()
                                || service.get().getSpec().getPorts().stream()
                                        .noneMatch(p -> Objects.equals(
                                                        p.getName(),
                                                        backend.getPort().getName())
                                                || Objects.equals(
                                                        p.getPort(),
                                                        backend.getPort().getNumber()))) {
                            problems.add(where + ": backend " + backend.getName() + " is not a rendered Service port");
                        }
                    }));
        } else if (object instanceof Secret secret) {
            if (secret.getData() != null) {
                secret.getData().forEach((key, value) -> {
                    if (!SECRET_KEY.matcher(key).matches()) {
                        problems.add(where + ": invalid key " + key);
                    }
                    try {
                        Base64.getDecoder().decode(value);
                    } catch (IllegalArgumentException e) {
                        problems.add(where + ": " + key + " is not base64");
                    }
                });
            }
        } else if (object instanceof ConfigMap configMap && configMap.getData() != null) {
            configMap.getData().keySet().stream()
                    .filter(key -> !SECRET_KEY.matcher(key).matches())
                    .forEach(key -> problems.add(where + ": invalid key " + key));
        }
    }

    private static void podSpec(PodSpec pod, Rendered rendered, String where, List<String> problems) {
        Set<String> volumes = new HashSet<>();
        for (Volume volume : pod.getVolumes()) {
            if (!DNS_LABEL.matcher(volume.getName()).matches() || !volumes.add(volume.getName())) {
                problems.add(where + ": invalid or repeated volume name " + volume.getName());
            }
            if (volume.getEmptyDir() != null && volume.getEmptyDir().getSizeLimit() != null) {
                quantity(volume.getEmptyDir().getSizeLimit(), where + " volume " + volume.getName(), problems);
            }
        }
        for (Container container : pod.getContainers()) {
            String at = where + " container " + container.getName();
            if (!DNS_LABEL.matcher(container.getName()).matches()) {
                problems.add(at + ": invalid container name");
            }
            if (container.getImage() == null || container.getImage().isBlank()) {
                problems.add(at + ": no image");
            }
            for (ContainerPort port : container.getPorts()) {
                portName(port.getName(), at, problems);
            }
            for (VolumeMount mount : container.getVolumeMounts()) {
                if (!volumes.contains(mount.getName())) {
                    problems.add(at + ": mounts volume " + mount.getName() + ", which the pod does not have");
                }
            }
            for (EnvVar env : container.getEnv()) {
                if (!ENV_NAME.matcher(env.getName()).matches()) {
                    problems.add(at + ": invalid env name " + env.getName());
                }
                if (env.getValue() != null && env.getValueFrom() != null) {
                    problems.add(at + ": env " + env.getName() + " has both value and valueFrom");
                }
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                    var ref = env.getValueFrom().getSecretKeyRef();
                    rendered.find(Secret.class, ref.getName()).ifPresent(secret -> {
                        if (secret.getData() == null || !secret.getData().containsKey(ref.getKey())) {
                            problems.add(at + ": env " + env.getName() + " reads key " + ref.getKey()
                                    + ", which the rendered Secret " + ref.getName() + " lacks");
                        }
                    });
                }
            }
            for (EnvFromSource source : container.getEnvFrom()) {
                if (source.getConfigMapRef() != null
                        && rendered.find(
                                        ConfigMap.class,
                                        source.getConfigMapRef().getName())
                                .isEmpty()) {
                    problems.add(at + ": envFrom names ConfigMap "
                            + source.getConfigMapRef().getName() + ", which is not rendered");
                }
            }
            probe(container.getStartupProbe(), container, at + " startupProbe", problems);
            probe(container.getLivenessProbe(), container, at + " livenessProbe", problems);
            probe(container.getReadinessProbe(), container, at + " readinessProbe", problems);
            ResourceRequirements resources = container.getResources();
            if (resources != null) {
                resources.getLimits().forEach((name, q) -> quantity(q, at + " limit " + name, problems));
                resources.getRequests().forEach((name, q) -> quantity(q, at + " request " + name, problems));
            }
        }
    }

    private static void probe(Probe probe, Container container, String where, List<String> problems) {
        if (probe == null) {
            return;
        }
        HTTPGetAction get = probe.getHttpGet();
        if (get == null) {
            problems.add(where + ": not an HTTP probe");
            return;
        }
        if (get.getPath() == null || !get.getPath().startsWith("/")) {
            problems.add(where + ": path " + get.getPath() + " is not absolute");
        }
        if (containerPort(container, get.getPort()) == null) {
            problems.add(where + ": port " + text(get.getPort()) + " is no port of the container");
        }
    }

    /** The container port number a probe or Service port refers to by name or number; null when there is none. */
    static Integer containerPort(Container container, IntOrString port) {
        if (port == null) {
            return null;
        }
        if (port.getIntVal() != null) {
            return container.getPorts().stream()
                    .map(ContainerPort::getContainerPort)
                    .filter(port.getIntVal()::equals)
                    .findFirst()
                    .orElse(null);
        }
        return container.getPorts().stream()
                .filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElse(null);
    }

    private static String text(IntOrString value) {
        return value == null
                ? "(none)"
                : value.getIntVal() != null ? value.getIntVal().toString() : value.getStrVal();
    }

    private static boolean hasPort(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts().stream())
                .anyMatch(p -> name.equals(p.getName()));
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null
                || selector.getMatchLabels() == null
                || selector.getMatchLabels().isEmpty()) {
            return false;
        }
        if (selector.getMatchExpressions() != null
                && !selector.getMatchExpressions().isEmpty()) {
            throw new IllegalArgumentException("matchExpressions are not expected in this chart");
        }
        return selects(selector.getMatchLabels(), labels);
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null
                && !selector.isEmpty()
                && labels != null
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static void portName(String name, String where, List<String> problems) {
        if (name != null && (name.length() > 15 || !PORT_NAME.matcher(name).matches() || !name.matches(".*[a-z].*"))) {
            problems.add(where + ": invalid port name " + name);
        }
    }

    private static void quantity(Quantity quantity, String where, List<String> problems) {
        try {
            Quantity.getAmountInBytes(quantity);
        } catch (IllegalArgumentException | ArithmeticException e) {
            problems.add(where + ": invalid quantity " + quantity);
        }
    }

    /** Converts a part of a custom resource into a model type and reports the fields the model does not know. */
    static <T> void asModel(Object value, Class<T> type, String path, String where, List<String> problems) {
        try {
            unknownFields(SERIALIZATION.convertValue(value, type), path, problems, where);
        } catch (RuntimeException e) {
            problems.add(where + " " + path + ": not a valid " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Walks a parsed object and reports every field fabric8 kept in an {@code additionalProperties} map: a field the
     * Kubernetes API does not have (a typo such as readOnlyRootFileSystem), which the API server would drop or refuse.
     */
    static void unknownFields(Object value, String path, List<String> problems, String where) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, path + "." + key, problems, where));
            return;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "[" + i + "]", problems, where);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model.")) {
            return;
        }
        for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object fieldValue = read(field, value);
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        problems.add(where + ": unknown field(s) " + extra.keySet() + " in " + path);
                    }
                } else {
                    unknownFields(fieldValue, path + "." + field.getName(), problems, where);
                }
            }
        }
    }

    private static Object read(Field field, Object target) {
        try {
            field.setAccessible(true);
            return field.get(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }

    /** Custom resources of KEDA and the Prometheus Operator: only the fields their CRDs define. */
    private static final class CustomResources {

        private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
        private static final Set<String> SCALED_OBJECT_SPEC = Set.of(
                "scaleTargetRef",
                "pollingInterval",
                "cooldownPeriod",
                "initialCooldownPeriod",
                "idleReplicaCount",
                "minReplicaCount",
                "maxReplicaCount",
                "fallback",
                "advanced",
                "triggers");
        private static final Set<String> SCALE_TARGET = Set.of("apiVersion", "kind", "name", "envSourceContainerName");
        private static final Set<String> TRIGGER =
                Set.of("type", "name", "metadata", "authenticationRef", "metricType", "useCachedMetrics");
        private static final Set<String> ADVANCED =
                Set.of("horizontalPodAutoscalerConfig", "restoreToOriginalReplicaCount", "scalingModifiers");
        private static final Set<String> HPA_CONFIG = Set.of("name", "behavior");
        private static final Set<String> AUTH_REF = Set.of("name", "kind");
        private static final Set<String> TRIGGER_AUTH_SPEC = Set.of(
                "secretTargetRef",
                "env",
                "podIdentity",
                "hashiCorpVault",
                "azureKeyVault",
                "awsSecretManager",
                "gcpSecretManager",
                "configMapTargetRef");
        private static final Set<String> SECRET_TARGET = Set.of("parameter", "name", "key");
        private static final Set<String> SERVICE_MONITOR_SPEC = Set.of(
                "selector",
                "namespaceSelector",
                "endpoints",
                "jobLabel",
                "targetLabels",
                "podTargetLabels",
                "sampleLimit",
                "targetLimit",
                "attachMetadata");
        private static final Set<String> NAMESPACE_SELECTOR = Set.of("any", "matchNames");
        private static final Set<String> ENDPOINT = Set.of(
                "port",
                "targetPort",
                "path",
                "scheme",
                "interval",
                "scrapeTimeout",
                "honorLabels",
                "honorTimestamps",
                "relabelings",
                "metricRelabelings",
                "params",
                "tlsConfig",
                "followRedirects",
                "enableHttp2",
                "filterRunning");

        static void check(GenericKubernetesResource resource, String where, List<String> problems) {
            Map<String, Object> body = resource.getAdditionalProperties();
            Map<String, Object> all = new java.util.LinkedHashMap<>(body);
            all.put("apiVersion", resource.getApiVersion());
            all.put("kind", resource.getKind());
            all.put("metadata", resource.getMetadata());
            keys(all, TOP, "", where, problems);
            Map<String, Object> spec = map(body.get("spec"), "spec", where, problems);
            String type = resource.getApiVersion() + " " + resource.getKind();
            switch (type) {
                case "keda.sh/v1alpha1 ScaledObject" -> scaledObject(spec, where, problems);
                case "keda.sh/v1alpha1 TriggerAuthentication" -> triggerAuthentication(spec, where, problems);
                case "monitoring.coreos.com/v1 ServiceMonitor" -> serviceMonitor(spec, where, problems);
                default -> problems.add(where + ": unexpected custom resource " + type);
            }
        }

        private static void scaledObject(Map<String, Object> spec, String where, List<String> problems) {
            keys(spec, SCALED_OBJECT_SPEC, "spec", where, problems);
            Map<String, Object> target = map(spec.get("scaleTargetRef"), "spec.scaleTargetRef", where, problems);
            keys(target, SCALE_TARGET, "spec.scaleTargetRef", where, problems);
            if (!(target.get("name") instanceof String)) {
                problems.add(where + ": spec.scaleTargetRef.name is required");
            }
            for (String count : List.of("pollingInterval", "cooldownPeriod", "minReplicaCount", "maxReplicaCount")) {
                if (spec.containsKey(count) && !(spec.get(count) instanceof Integer)) {
                    problems.add(where + ": spec." + count + " is not an integer");
                }
            }
            if (spec.get("advanced") != null) {
                Map<String, Object> advanced = map(spec.get("advanced"), "spec.advanced", where, problems);
                keys(advanced, ADVANCED, "spec.advanced", where, problems);
                if (advanced.get("horizontalPodAutoscalerConfig") != null) {
                    Map<String, Object> hpa = map(
                            advanced.get("horizontalPodAutoscalerConfig"),
                            "spec.advanced.horizontalPodAutoscalerConfig",
                            where,
                            problems);
                    keys(hpa, HPA_CONFIG, "spec.advanced.horizontalPodAutoscalerConfig", where, problems);
                    if (hpa.get("behavior") != null) {
                        asModel(
                                hpa.get("behavior"),
                                HorizontalPodAutoscalerBehavior.class,
                                "spec.advanced.horizontalPodAutoscalerConfig.behavior",
                                where,
                                problems);
                    }
                }
            }
            if (!(spec.get("triggers") instanceof List<?> triggers) || triggers.isEmpty()) {
                problems.add(where + ": spec.triggers is required");
                return;
            }
            for (int i = 0; i < triggers.size(); i++) {
                String path = "spec.triggers[" + i + "]";
                Map<String, Object> trigger = map(triggers.get(i), path, where, problems);
                keys(trigger, TRIGGER, path, where, problems);
                if (!(trigger.get("type") instanceof String)) {
                    problems.add(where + ": " + path + ".type is required");
                }
                // KEDA's trigger metadata is a map of strings: a number or a boolean there is refused.
                map(trigger.get("metadata"), path + ".metadata", where, problems)
                        .forEach((key, value) -> {
                            if (!(value instanceof String)) {
                                problems.add(where + ": " + path + ".metadata." + key + " is not a string");
                            }
                        });
                if (trigger.get("authenticationRef") != null) {
                    keys(
                            map(trigger.get("authenticationRef"), path + ".authenticationRef", where, problems),
                            AUTH_REF,
                            path + ".authenticationRef",
                            where,
                            problems);
                }
            }
        }

        private static void triggerAuthentication(Map<String, Object> spec, String where, List<String> problems) {
            keys(spec, TRIGGER_AUTH_SPEC, "spec", where, problems);
            if (spec.get("secretTargetRef") instanceof List<?> refs) {
                for (int i = 0; i < refs.size(); i++) {
                    String path = "spec.secretTargetRef[" + i + "]";
                    Map<String, Object> ref = map(refs.get(i), path, where, problems);
                    keys(ref, SECRET_TARGET, path, where, problems);
                    if (!ref.keySet().containsAll(SECRET_TARGET)) {
                        problems.add(where + ": " + path + " needs parameter, name and key");
                    }
                }
            }
        }

        private static void serviceMonitor(Map<String, Object> spec, String where, List<String> problems) {
            keys(spec, SERVICE_MONITOR_SPEC, "spec", where, problems);
            asModel(spec.get("selector"), LabelSelector.class, "spec.selector", where, problems);
            if (spec.get("namespaceSelector") != null) {
                keys(
                        map(spec.get("namespaceSelector"), "spec.namespaceSelector", where, problems),
                        NAMESPACE_SELECTOR,
                        "spec.namespaceSelector",
                        where,
                        problems);
            }
            if (!(spec.get("endpoints") instanceof List<?> endpoints) || endpoints.isEmpty()) {
                problems.add(where + ": spec.endpoints is required");
                return;
            }
            for (int i = 0; i < endpoints.size(); i++) {
                keys(
                        map(endpoints.get(i), "spec.endpoints[" + i + "]", where, problems),
                        ENDPOINT,
                        "spec.endpoints[" + i + "]",
                        where,
                        problems);
            }
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> map(Object value, String path, String where, List<String> problems) {
            if (value instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            problems.add(where + ": " + path + " is not an object");
            return Map.of();
        }

        private static void keys(
                Map<String, Object> map, Set<String> allowed, String path, String where, List<String> problems) {
            map.keySet().stream()
                    .filter(key -> !allowed.contains(key))
                    .forEach(key ->
                            problems.add(where + ": unknown field " + (path.isEmpty() ? key : path + "." + key)));
        }
    }
}
