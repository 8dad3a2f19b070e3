package ai.assay.core.datasets;

/**
 * A split that could not be had: not in the datasets directory nor the cache, and not downloadable (offline, no
 * network, gated without a token, no such split). The message says what was looked for and where.
 */
public class DatasetUnavailableException extends RuntimeException {

    private final DatasetSplit split;

    public DatasetUnavailableException(DatasetSplit split, String message) {
        super(message);
        this.split = split;
    }

    public DatasetUnavailableException(DatasetSplit split, String message, Throwable cause) {
        super(message, cause);
        this.split = split;
    }

    public DatasetSplit split() {
        return split;
    }
}
