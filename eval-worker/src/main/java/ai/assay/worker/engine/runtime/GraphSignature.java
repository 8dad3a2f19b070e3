package ai.assay.worker.engine.runtime;

import java.util.List;
import java.util.Optional;

/** The inputs and outputs of a loaded graph, in the session's order. */
public record GraphSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {

    public GraphSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Optional<TensorSpec> input(String name) {
        return inputs.stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    public Optional<TensorSpec> output(String name) {
        return outputs.stream().filter(spec -> spec.name().equals(name)).findFirst();
    }
}
