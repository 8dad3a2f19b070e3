package ai.assay.core.datasets;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where the rows of a split were read from. */
public enum DatasetOrigin {
    /** The {@code assay.datasets.dir} directory. */
    DIRECTORY,
    /** Parquet files downloaded earlier and verified against their checksums. */
    CACHE,
    /** Downloaded from the Hub just now (and cached). */
    HUB;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
