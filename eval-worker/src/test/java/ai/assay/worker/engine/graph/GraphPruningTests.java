package ai.assay.worker.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.engine.runtime.ElementType;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import org.junit.jupiter.api.Test;

class GraphPruningTests {

    @Test
    void leavesOutTheOutputAndWhatOnlyItNeededAndKeepsTheInputs() throws InvalidProtocolBufferException {
        ModelProto original = ModelProto.parseFrom(
                TinyDecoder.small(TinyDecoder.Layout.OPTIMUM, 300).build());

        ModelProto pruned = ModelProto.parseFrom(
                GraphPruning.withoutOutput(original.toByteArray(), "logits").orElseThrow());

        GraphProto before = original.getGraph();
        GraphProto after = pruned.getGraph();
        assertThat(after.getInputList()).isEqualTo(before.getInputList());
        assertThat(after.getOutputList())
                .extracting(ValueInfoProto::getName)
                .containsExactlyElementsOf(before.getOutputList().stream()
                        .map(ValueInfoProto::getName)
                        .filter(name -> !name.equals("logits"))
                        .toList());
        // The projection onto the vocabulary, the final norm and, in the last layer, everything after its keys and
        // values are gone with their weights; the earlier layers stay whole.
        assertThat(after.getInitializerList())
                .extracting(TensorProto::getName)
                .doesNotContain("lm_head", "ln_f_g", "ln_f_b", "wq_1", "wo_1", "w1_1", "w2_1")
                .contains("embed", "wq_0", "wo_0", "w2_0", "ln1_1_g", "wk_1", "wv_1");
        assertThat(after.getNodeCount()).isLessThan(before.getNodeCount());
        assertThat(before.getNodeList()).containsAll(after.getNodeList());
        assertThat(pruned.getOpsetImportList()).isEqualTo(original.getOpsetImportList());
    }

    @Test
    void refusesAGraphWithSubgraphsAndNamesAMissingOutput() throws InvalidProtocolBufferException {
        GraphBuilder g = new GraphBuilder("two_outputs");
        String x = g.input("x", ElementType.FLOAT.code(), "n");
        g.output("y", g.op("Relu", x), ElementType.FLOAT.code(), "n");
        g.output("z", g.op("Neg", x), ElementType.FLOAT.code(), "n");
        ModelProto model = ModelProto.parseFrom(g.toBytes());
        NodeProto branching = NodeProto.newBuilder()
                .setOpType("If")
                .addInput("x")
                .addOutput("unused")
                .addAttribute(AttributeProto.newBuilder()
                        .setName("then_branch")
                        .setType(AttributeProto.AttributeType.GRAPH)
                        .setG(GraphProto.newBuilder().setName("then")))
                .build();
        ModelProto withIf = model.toBuilder()
                .setGraph(model.getGraph().toBuilder().addNode(branching))
                .build();

        ModelProto withoutZ = ModelProto.parseFrom(
                GraphPruning.withoutOutput(model.toByteArray(), "z").orElseThrow());
        assertThat(withoutZ.getGraph().getNodeList())
                .extracting(NodeProto::getOpType)
                .containsExactly("Relu");
        assertThat(GraphPruning.withoutOutput(withIf.toByteArray(), "z")).isEmpty();
        assertThatThrownBy(() -> GraphPruning.withoutOutput(model.toByteArray(), "logits"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no output logits");
    }
}
