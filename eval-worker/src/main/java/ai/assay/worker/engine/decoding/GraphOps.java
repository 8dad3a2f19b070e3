package ai.assay.worker.engine.decoding;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The operator types of an ONNX file's main graph, read by streaming the protobuf and skipping everything but
 * node types, so that weights stored inside the file are never held in memory.
 */
final class GraphOps {

    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int NODE_OP_TYPE = 4;

    private GraphOps() {}

    static Set<String> of(Path modelFile) throws IOException {
        Set<String> ops = new HashSet<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(modelFile), 1 << 16)) {
            CodedInputStream model = CodedInputStream.newInstance(in);
            model.setSizeLimit(Integer.MAX_VALUE);
            for (int tag = model.readTag(); tag != 0; tag = model.readTag()) {
                if (isMessage(tag, MODEL_GRAPH)) {
                    int limit = model.pushLimit(model.readRawVarint32());
                    readGraph(model, ops);
                    model.popLimit(limit);
                } else {
                    model.skipField(tag);
                }
            }
        }
        return ops;
    }

    private static void readGraph(CodedInputStream graph, Set<String> ops) throws IOException {
        for (int tag = graph.readTag(); tag != 0; tag = graph.readTag()) {
            if (isMessage(tag, GRAPH_NODE)) {
                int limit = graph.pushLimit(graph.readRawVarint32());
                for (int field = graph.readTag(); field != 0; field = graph.readTag()) {
                    if (isMessage(field, NODE_OP_TYPE)) {
                        ops.add(graph.readStringRequireUtf8());
                    } else {
                        graph.skipField(field);
                    }
                }
                graph.popLimit(limit);
            } else {
                graph.skipField(tag);
            }
        }
    }

    private static boolean isMessage(int tag, int field) {
        return WireFormat.getTagFieldNumber(tag) == field
                && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }
}
