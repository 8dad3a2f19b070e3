package ai.assay.core.datasets;

import java.util.Objects;

/**
 * One split of a Hugging Face dataset, named as {@code datasets.load_dataset(dataset, config)[split]} names it.
 *
 * @param dataset the Hub id, e.g. {@code allenai/ai2_arc}
 * @param config  the configuration ({@code "default"} for a dataset that has only one)
 * @param split   e.g. {@code test}
 */
public record DatasetSplit(String dataset, String config, String split) {

    public static final String DEFAULT_CONFIG = "default";

    public DatasetSplit {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(split, "split");
        config = config == null || config.isBlank() ? DEFAULT_CONFIG : config;
        for (String part : new String[] {dataset, config, split}) {
            if (part.isBlank()
                    || part.contains("..")
                    || part.contains("\\")
                    || part.startsWith("/")
                    || part.endsWith("/")) {
                throw new IllegalArgumentException("not a dataset name: '%s'".formatted(part));
            }
        }
        if (config.contains("/") || split.contains("/")) {
            throw new IllegalArgumentException("a config or split has no '/': %s/%s".formatted(config, split));
        }
    }

    @Override
    public String toString() {
        return dataset + " (" + config + ", " + split + ")";
    }
}
