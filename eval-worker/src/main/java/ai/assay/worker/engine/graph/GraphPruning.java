package ai.assay.worker.engine.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Copies of an ONNX model that leave out some of its outputs and everything only they needed. ONNX Runtime runs
 * every node of a graph whatever outputs a call asks for, and keeps nodes whose results no output reads, so the
 * only way to skip work is a graph without it.
 */
public final class GraphPruning {

    private GraphPruning() {}

    /**
     * The model without the graph output {@code output} and the nodes and initializers that only it needed; the
     * inputs stay as they are, so the copy is fed like the original. Empty when the model cannot be pruned safely
     * here: its weights are in external files (they are named relative to the original's directory), a node holds
     * a subgraph (If, Loop, Scan), whose reads of outer values this does not trace, or no output would be left.
     *
     * @throws IllegalArgumentException when the bytes are not an ONNX model or it has no such output
     */
    public static Optional<byte[]> withoutOutput(byte[] model, String output) {
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(model);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
        GraphProto graph = proto.getGraph();
        if (graph.getOutputList().stream().noneMatch(o -> o.getName().equals(output))) {
            throw new IllegalArgumentException("the graph has no output " + output);
        }
        List<ValueInfoProto> outputs = graph.getOutputList().stream()
                .filter(o -> !o.getName().equals(output))
                .toList();
        if (outputs.isEmpty() || hasExternalData(graph) || hasSubgraphs(graph)) {
            return Optional.empty();
        }
        Set<String> needed = new HashSet<>();
        outputs.forEach(o -> needed.add(o.getName()));
        // Nodes are stored in topological order: walking back from the end sees every consumer before its producer.
        List<NodeProto> nodes = graph.getNodeList();
        List<NodeProto> kept = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            NodeProto node = nodes.get(i);
            if (node.getOutputList().stream().anyMatch(needed::contains)) {
                kept.add(node);
                needed.addAll(node.getInputList());
            }
        }
        Collections.reverse(kept);
        GraphProto.Builder pruned = graph.toBuilder()
                .clearOutput()
                .addAllOutput(outputs)
                .clearNode()
                .addAllNode(kept)
                .clearInitializer()
                .addAllInitializer(graph.getInitializerList().stream()
                        .filter(t -> needed.contains(t.getName()))
                        .toList())
                .clearValueInfo()
                .addAllValueInfo(graph.getValueInfoList().stream()
                        .filter(v -> needed.contains(v.getName()))
                        .toList());
        return Optional.of(proto.toBuilder().setGraph(pruned).build().toByteArray());
    }

    private static boolean hasExternalData(GraphProto graph) {
        return graph.getInitializerList().stream()
                .anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL);
    }

    private static boolean hasSubgraphs(GraphProto graph) {
        for (NodeProto node : graph.getNodeList()) {
            for (AttributeProto attribute : node.getAttributeList()) {
                if (attribute.hasG() || attribute.getGraphsCount() > 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
