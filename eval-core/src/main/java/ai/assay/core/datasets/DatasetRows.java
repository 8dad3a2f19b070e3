package ai.assay.core.datasets;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rows of a split in the Hugging Face row schema, in the split's order: one JSON object per row whose members
 * are the dataset's features in feature order (a {@code Sequence} of a dict is a dict of lists, a
 * {@code ClassLabel} an integer, as the {@code datasets} library returns them).
 *
 * @param location the file (or files) they were read from
 * @param sha256   the SHA-256 of the file read, hex; for several parquet shards, of their checksums in order
 */
public record DatasetRows(
        DatasetSplit split, List<ObjectNode> rows, DatasetOrigin origin, String location, String sha256) {

    public DatasetRows {
        rows = List.copyOf(rows);
    }

    public int size() {
        return rows.size();
    }
}
