package ai.assay.worker.engine.runtime;

import static org.bytedeco.onnxruntime.global.onnxruntime.ORT_ENABLE_ALL;
import static org.bytedeco.onnxruntime.global.onnxruntime.ORT_SEQUENTIAL;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.onnxruntime.CUDAProviderOptions;
import org.bytedeco.onnxruntime.ConstTensorTypeAndShapeInfo;
import org.bytedeco.onnxruntime.Env;
import org.bytedeco.onnxruntime.IoBinding;
import org.bytedeco.onnxruntime.MemoryInfo;
import org.bytedeco.onnxruntime.RunOptions;
import org.bytedeco.onnxruntime.Session;
import org.bytedeco.onnxruntime.SessionOptions;
import org.bytedeco.onnxruntime.StringStringMap;
import org.bytedeco.onnxruntime.StringVector;
import org.bytedeco.onnxruntime.TypeInfo;
import org.bytedeco.onnxruntime.Value;
import org.bytedeco.onnxruntime.ValueVector;

/**
 * One ORT session with its IoBinding. Callers run it inside their own {@link PointerScope}: the values it returns
 * belong to that scope unless retained.
 */
final class NativeSession implements AutoCloseable {

    private final Session session;
    private final SessionOptions options;
    private final IoBinding binding;
    private final RunOptions runOptions;
    private final GraphSignature signature;

    private NativeSession(Session session, SessionOptions options) {
        this.session = session;
        this.options = options;
        this.binding = new IoBinding(session);
        this.runOptions = new RunOptions();
        // Created inside the opener's PointerScope: keep them past its end.
        binding.retainReference();
        runOptions.retainReference();
        this.signature = readSignature(session);
    }

    /** Opens a model file (external data next to it is found by ORT). */
    static NativeSession open(Path modelFile, ExecutionDevice device, int threads) {
        try (PointerScope scope = new PointerScope()) {
            SessionOptions options = sessionOptions(device);
            options.retainReference();
            Env env = OrtEnvironment.get(threads);
            Session session = new Session(env, new BytePointer(modelFile.toString()), options);
            session.retainReference();
            return new NativeSession(session, options);
        }
    }

    /** Opens a model held in memory (the engine's helper graphs, tests' tiny models). */
    static NativeSession open(byte[] model, ExecutionDevice device, int threads) {
        try (PointerScope scope = new PointerScope()) {
            SessionOptions options = sessionOptions(device);
            options.retainReference();
            Env env = OrtEnvironment.get(threads);
            BytePointer bytes = new BytePointer(model);
            Session session = new Session(env, bytes, model.length, options);
            session.retainReference();
            return new NativeSession(session, options);
        }
    }

    private static SessionOptions sessionOptions(ExecutionDevice device) {
        SessionOptions options = new SessionOptions();
        options.DisablePerSessionThreads();
        options.SetGraphOptimizationLevel(ORT_ENABLE_ALL);
        options.SetExecutionMode(ORT_SEQUENTIAL);
        // Shapes change every step; memory patterns only help static shapes.
        options.DisableMemPattern();
        if (device.isCuda()) {
            CUDAProviderOptions cuda = new CUDAProviderOptions();
            StringStringMap values = new StringStringMap();
            values.put(new BytePointer("device_id"), new BytePointer(Integer.toString(device.index())));
            values.put(new BytePointer("arena_extend_strategy"), new BytePointer("kSameAsRequested"));
            values.put(new BytePointer("do_copy_in_default_stream"), new BytePointer("1"));
            cuda.Update(values);
            options.AppendExecutionProvider_CUDA_V2(cuda.asOrtCUDAProviderOptionsV2());
        }
        return options;
    }

    GraphSignature signature() {
        return signature;
    }

    /**
     * Runs with IoBinding: every input bound as given (the caller still closes it, but must not bind it in another
     * run: that crashes the process in BindInput, so a cache that feeds two runs is copied first), every output
     * allocated by ORT in the memory named for it. Returns the outputs in the order asked, attached to the caller's
     * scope. Rebinds everything on each call: after a run ORT treats bound outputs as pre-allocated and rejects a new
     * shape.
     */
    Value[] runBound(String[] inputNames, Value[] inputs, String[] outputNames, MemoryInfo[] outputMemory) {
        binding.ClearBoundInputs();
        binding.ClearBoundOutputs();
        try {
            for (int i = 0; i < inputNames.length; i++) {
                binding.BindInput(inputNames[i], inputs[i]);
            }
            for (int i = 0; i < outputNames.length; i++) {
                binding.BindOutput(outputNames[i], outputMemory[i].asOrtMemoryInfo());
            }
            session.Run(runOptions, binding);
            ValueVector values = binding.GetOutputValues();
            Value[] outputs = new Value[outputNames.length];
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = values.get(i); // moves the element out: take each once
            }
            return outputs;
        } finally {
            // The binding would otherwise keep the inputs and outputs (a whole KV cache) alive until the next run.
            binding.ClearBoundInputs();
            binding.ClearBoundOutputs();
        }
    }

    /** Runs without IoBinding; the inputs are moved into the call and are empty afterwards. */
    Value[] runPlain(String[] inputNames, Value[] inputs, String[] outputNames) {
        Value array = new Value(inputs.length);
        for (int i = 0; i < inputs.length; i++) {
            array.getPointer(i).put(inputs[i]);
        }
        ValueVector values = session.Run(
                runOptions,
                new PointerPointer<>(inputNames),
                array,
                inputs.length,
                new PointerPointer<>(outputNames),
                outputNames.length);
        Value[] outputs = new Value[outputNames.length];
        for (int i = 0; i < outputs.length; i++) {
            outputs[i] = values.get(i);
        }
        return outputs;
    }

    /** Makes every later run of this session fail at once (between decoding steps it stops a long prefill). */
    void terminate() {
        runOptions.SetTerminate();
    }

    @Override
    public void close() {
        binding.releaseReference();
        runOptions.releaseReference();
        session.releaseReference();
        options.releaseReference();
    }

    private static GraphSignature readSignature(Session session) {
        try (PointerScope scope = new PointerScope()) {
            List<TensorSpec> inputs = new ArrayList<>();
            StringVector inputNames = session.GetInputNames();
            for (int i = 0; i < inputNames.size(); i++) {
                inputs.add(spec(inputNames.get(i).getString(), session.GetInputTypeInfo(i)));
            }
            List<TensorSpec> outputs = new ArrayList<>();
            StringVector outputNames = session.GetOutputNames();
            for (int i = 0; i < outputNames.size(); i++) {
                outputs.add(spec(outputNames.get(i).getString(), session.GetOutputTypeInfo(i)));
            }
            return new GraphSignature(inputs, outputs);
        }
    }

    private static TensorSpec spec(String name, TypeInfo typeInfo) {
        ConstTensorTypeAndShapeInfo info = typeInfo.GetTensorTypeAndShapeInfo();
        int code = info.GetElementType();
        int rank = (int) info.GetDimensionsCount();
        long[] dims = new long[rank];
        if (rank > 0) {
            info.GetDimensions(dims, rank);
        }
        List<String> symbols = new ArrayList<>(rank);
        if (rank > 0) {
            PointerPointer<BytePointer> names = new PointerPointer<>(rank);
            info.GetSymbolicDimensions(names, rank);
            for (int i = 0; i < rank; i++) {
                BytePointer symbol = names.get(BytePointer.class, i);
                symbols.add(symbol == null || symbol.isNull() ? "" : symbol.getString());
            }
        }
        return new TensorSpec(name, ElementType.ofCode(code), code, dims, symbols);
    }
}
