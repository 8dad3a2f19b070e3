package ai.assay.core.evaluation;

import java.util.List;

/** One page of a listing; page numbers start at 0. */
public record Page<T>(List<T> items, int page, int size, long totalItems) {

    public Page {
        items = List.copyOf(items);
    }

    public long totalPages() {
        return (totalItems + size - 1) / size;
    }
}
