package ai.assay.worker.engine.runtime;

import java.util.List;

/**
 * A graph input or output as the session reports it.
 *
 * @param elementType null when the engine does not handle the type
 * @param dims        -1 for a dynamic dimension
 * @param symbols     the symbolic names of the dimensions ("" for fixed ones)
 */
public record TensorSpec(String name, ElementType elementType, int elementTypeCode, long[] dims, List<String> symbols) {

    public TensorSpec {
        dims = dims.clone();
        symbols = List.copyOf(symbols);
    }

    public long dim(int axis) {
        return dims[axis];
    }

    public int rank() {
        return dims.length;
    }
}
