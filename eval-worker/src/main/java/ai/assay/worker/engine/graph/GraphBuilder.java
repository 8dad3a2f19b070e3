package ai.assay.worker.engine.graph;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes ONNX graphs node by node: the engine's small helper graphs and the tests' tiny decoders. Names of
 * intermediate values are generated; a node's outputs are returned so calls can be chained.
 */
public final class GraphBuilder {

    /** The default ONNX opset used for graphs built here (LayerNormalization needs 17). */
    public static final int OPSET = 17;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<String, Integer> opsets = new LinkedHashMap<>();
    private final Map<String, String> renames = new LinkedHashMap<>();
    private int counter;

    public GraphBuilder(String name) {
        graph.setName(name);
        opsets.put("", OPSET);
    }

    /** Declares a graph input; a dimension is a Long (fixed) or a String (symbolic). */
    public String input(String name, int elementType, Object... dims) {
        graph.addInput(valueInfo(name, elementType, dims));
        return name;
    }

    /**
     * Declares a graph output produced by {@code value}, which is renamed {@code name} everywhere (an Identity node
     * would copy the tensor on every run). A graph input is passed through with an Identity.
     */
    public String output(String name, String value, int elementType, Object... dims) {
        if (!name.equals(value)) {
            boolean produced = graph.getNodeList().stream()
                    .anyMatch(node -> node.getOutputList().contains(value));
            if (produced && !renames.containsKey(value)) {
                renames.put(value, name);
            } else {
                graph.addNode(NodeProto.newBuilder()
                        .setOpType("Identity")
                        .addInput(value)
                        .addOutput(name)
                        .setName("out_" + name));
            }
        }
        graph.addOutput(valueInfo(name, elementType, dims));
        return name;
    }

    public String floats(String name, long[] dims, float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return raw(name, TensorProto.DataType.FLOAT_VALUE, dims, buffer.array());
    }

    public String longs(String name, long[] dims, long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buffer.putLong(v);
        }
        return raw(name, TensorProto.DataType.INT64_VALUE, dims, buffer.array());
    }

    /** An int64 constant: a scalar when one value and {@code dims} is empty, else a vector. */
    public String longConstant(long... values) {
        return longs(fresh("c"), new long[] {values.length}, values);
    }

    public String longScalar(long value) {
        return longs(fresh("c"), new long[0], value);
    }

    public String floatScalar(float value) {
        return floats(fresh("c"), new long[0], new float[] {value});
    }

    public String raw(String name, int dataType, long[] dims, byte[] data) {
        TensorProto.Builder tensor =
                TensorProto.newBuilder().setName(name).setDataType(dataType).setRawData(ByteString.copyFrom(data));
        for (long d : dims) {
            tensor.addDims(d);
        }
        graph.addInitializer(tensor);
        return name;
    }

    /**
     * Declares an initializer whose bytes lie in an external data file next to the model ({@code location}, relative
     * to the model file), as ONNX's external data format stores them: nothing of the tensor is held here.
     */
    public String external(String name, int dataType, long[] dims, String location, long offset, long length) {
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setName(name)
                .setDataType(dataType)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location))
                .addExternalData(entry("offset", Long.toString(offset)))
                .addExternalData(entry("length", Long.toString(length)));
        for (long d : dims) {
            tensor.addDims(d);
        }
        graph.addInitializer(tensor);
        return name;
    }

    private static OnnxMl.StringStringEntryProto entry(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder()
                .setKey(key)
                .setValue(value)
                .build();
    }

    /** Adds a node with one output and returns the output's name. */
    public String op(String opType, String[] inputs, Attr... attributes) {
        return ops(opType, 1, inputs, attributes)[0];
    }

    public String op(String opType, String input, Attr... attributes) {
        return op(opType, new String[] {input}, attributes);
    }

    public String op(String opType, String a, String b, Attr... attributes) {
        return op(opType, new String[] {a, b}, attributes);
    }

    /** Adds a node with {@code outputs} outputs in the default domain. */
    public String[] ops(String opType, int outputs, String[] inputs, Attr... attributes) {
        return node("", opType, outputs, inputs, attributes);
    }

    /** Adds a node of another operator domain (e.g. "com.microsoft"), imported at version 1. */
    public String[] node(String domain, String opType, int outputs, String[] inputs, Attr... attributes) {
        boolean[] all = new boolean[outputs];
        java.util.Arrays.fill(all, true);
        return node(domain, opType, all, inputs, attributes);
    }

    /**
     * Adds a node whose outputs {@code i} with {@code used[i]} false are left unnamed, as ONNX marks an optional
     * output not asked for, so the kernel may skip computing it; their slots in the returned array are empty.
     * An input given as the empty string is an optional input left out.
     */
    public String[] node(String domain, String opType, boolean[] used, String[] inputs, Attr... attributes) {
        int outputs = used.length;
        if (!domain.isEmpty()) {
            opsets.putIfAbsent(domain, 1);
        }
        NodeProto.Builder node =
                NodeProto.newBuilder().setOpType(opType).setDomain(domain).setName(fresh(opType));
        for (String input : inputs) {
            node.addInput(input);
        }
        String[] names = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            names[i] = used[i] ? fresh(opType.toLowerCase() + "_out") : "";
            node.addOutput(names[i]);
        }
        for (Attr attribute : attributes) {
            node.addAttribute(attribute.proto());
        }
        graph.addNode(node);
        return names;
    }

    public ModelProto build() {
        GraphProto.Builder named = graph.clone();
        for (NodeProto.Builder node : named.getNodeBuilderList()) {
            for (int i = 0; i < node.getInputCount(); i++) {
                node.setInput(i, renames.getOrDefault(node.getInput(i), node.getInput(i)));
            }
            for (int i = 0; i < node.getOutputCount(); i++) {
                node.setOutput(i, renames.getOrDefault(node.getOutput(i), node.getOutput(i)));
            }
        }
        ModelProto.Builder model =
                ModelProto.newBuilder().setIrVersion(8).setProducerName("assay").setGraph(named);
        opsets.forEach((domain, version) -> model.addOpsetImport(
                OnnxMl.OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        return model.build();
    }

    public byte[] toBytes() {
        return build().toByteArray();
    }

    private String fresh(String prefix) {
        return prefix + "_" + (counter++);
    }

    private static ValueInfoProto valueInfo(String name, int elementType, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (dim instanceof String symbol) {
                d.setDimParam(symbol);
            } else {
                d.setDimValue(((Number) dim).longValue());
            }
            shape.addDim(d);
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(elementType)
                                .setShape(shape)))
                .build();
    }

    /** A node attribute. */
    public record Attr(AttributeProto proto) {

        public static Attr of(String name, long value) {
            return new Attr(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(value)
                    .build());
        }

        public static Attr of(String name, float value) {
            return new Attr(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeProto.AttributeType.FLOAT)
                    .setF(value)
                    .build());
        }

        public static Attr ints(String name, long... values) {
            AttributeProto.Builder b =
                    AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
            for (long v : values) {
                b.addInts(v);
            }
            return new Attr(b.build());
        }

        public static Attr tensor(String name, TensorProto value) {
            return new Attr(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeProto.AttributeType.TENSOR)
                    .setT(value)
                    .build());
        }
    }
}
