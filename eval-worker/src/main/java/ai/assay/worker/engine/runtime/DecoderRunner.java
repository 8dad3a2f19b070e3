package ai.assay.worker.engine.runtime;

import static org.bytedeco.onnxruntime.global.onnxruntime.OrtArenaAllocator;
import static org.bytedeco.onnxruntime.global.onnxruntime.OrtMemTypeDefault;

import ai.assay.worker.engine.EngineTimes;
import ai.assay.worker.engine.RunKind;
import ai.assay.worker.engine.graph.GraphPruning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.onnxruntime.AllocatorWithDefaultOptions;
import org.bytedeco.onnxruntime.LongVector;
import org.bytedeco.onnxruntime.MemoryInfo;
import org.bytedeco.onnxruntime.MemoryInfoImpl;
import org.bytedeco.onnxruntime.OrtAllocator;
import org.bytedeco.onnxruntime.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decoder-only ONNX graph (inputs input_ids, attention_mask, optional position_ids, past_key_values.N.key/value,
 * optional logits_to_keep; outputs logits and present.N.key/value) with the helper graphs that keep its results on
 * the device. All native memory of the engine lives behind this class: each call runs in its own
 * {@link PointerScope}; the KV cache stays in ORT-allocated buffers on the KV device between calls and is handed out
 * only as an opaque {@link KvCache}.
 * Not thread-safe: one generation or scoring loop at a time.
 */
public final class DecoderRunner implements AutoCloseable {

    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");
    private static final Pattern PRESENT = Pattern.compile("present\\.(\\d+)\\.(key|value)");
    /** The input of graphs that compute the logits of the last k positions only (0: all), as transformers' forward. */
    private static final String LOGITS_TO_KEEP = "logits_to_keep";

    private static final Logger log = LoggerFactory.getLogger(DecoderRunner.class);

    private final RunnerOptions options;
    private final NativeSession decoder;
    /** The decoder without its logits output, for prefills that keep only the KV cache; null to use the decoder. */
    private final NativeSession prefillGraph;

    private final NativeSession selectLogits;
    private final NativeSession scoreTokens;
    private final NativeSession selectKv;
    /** Copies of a cache's rows into one part (index 0) or two parts (index 1). */
    private final NativeSession[] copyKvRows;

    private final NativeSession mergeKv;
    private final String[] pastNames;
    private final String[] presentNames;
    private final boolean hasPositionIds;
    /** Whether runs ask the decoder for the logits of the positions they read only (it has logits_to_keep). */
    private final boolean keepsLogits;

    private final ElementType logitsType;
    private long lastLogitsBytes;
    private long peakLogitsBytes;
    private final ElementType kvType;
    private final long kvHeads;
    private final long headSize;
    private final MemoryInfo hostMemory;
    private final MemoryInfo kvMemory;
    private final OrtAllocator hostAllocator;
    private final String[] kvOutputNames;
    private final String[] selectKvInputs;
    private final String[] mergeKvInputs;
    private final RunTally tally = new RunTally();

    private DecoderRunner(NativeSession decoder, NativeSession prefillGraph, RunnerOptions options) {
        this.options = options;
        this.decoder = decoder;
        this.prefillGraph = prefillGraph;
        GraphSignature signature = decoder.signature();
        this.pastNames = kvNames(signature.inputs(), PAST);
        this.presentNames = kvNames(signature.outputs(), PRESENT);
        if (pastNames.length == 0 || pastNames.length != presentNames.length) {
            throw new IllegalArgumentException("the graph has " + pastNames.length + " past_key_values inputs and "
                    + presentNames.length + " present outputs; a decoder with a KV cache needs one present per past");
        }
        this.hasPositionIds = signature.input("position_ids").isPresent();
        TensorSpec past = signature.input(pastNames[0]).orElseThrow();
        this.kvType = past.elementType();
        if (kvType == null || !kvType.isFloatingPoint() || past.rank() != 4 || past.dim(1) < 1 || past.dim(3) < 1) {
            throw new IllegalArgumentException(pastNames[0] + " must be a float32/float16/bfloat16 tensor "
                    + "[batch, kv_heads, past_length, head_size] with fixed heads and head size");
        }
        this.kvHeads = past.dim(1);
        this.headSize = past.dim(3);
        TensorSpec logits = signature
                .output("logits")
                .orElseThrow(() -> new IllegalArgumentException("the graph has no 'logits' output"));
        if (logits.elementType() == null || !logits.elementType().isFloatingPoint()) {
            throw new IllegalArgumentException("logits must be float32, float16 or bfloat16");
        }
        this.logitsType = logits.elementType();
        this.keepsLogits =
                options.logitsToKeep() && signature.input(LOGITS_TO_KEEP).isPresent();
        int threads = options.threads();
        ExecutionDevice device = options.device();
        this.selectLogits = NativeSession.open(HelperGraphs.selectLogits(logits.elementType()), device, threads);
        this.scoreTokens = NativeSession.open(HelperGraphs.scoreTokens(logits.elementType()), device, threads);
        this.selectKv = NativeSession.open(HelperGraphs.selectKv(kvType, pastNames.length), device, threads);
        this.copyKvRows = new NativeSession[] {
            NativeSession.open(HelperGraphs.copyKvRows(kvType, pastNames.length, 1), device, threads),
            NativeSession.open(HelperGraphs.copyKvRows(kvType, pastNames.length, 2), device, threads)
        };
        this.mergeKv = NativeSession.open(HelperGraphs.mergeKv(kvType, pastNames.length), device, threads);
        this.hostMemory = MemoryInfo.CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
        this.kvMemory = options.kvDevice().isCuda()
                ? new MemoryInfo("Cuda", OrtArenaAllocator, options.kvDevice().index(), OrtMemTypeDefault)
                : MemoryInfo.CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
        this.hostAllocator = new OrtAllocator(new AllocatorWithDefaultOptions().asUnownedAllocator());
        // Long-lived: not to be freed by a PointerScope the caller may have open.
        hostMemory.retainReference();
        kvMemory.retainReference();
        int n = pastNames.length;
        this.kvOutputNames = new String[n];
        this.selectKvInputs = new String[n + 2];
        this.mergeKvInputs = new String[2 * n + 2];
        for (int i = 0; i < n; i++) {
            kvOutputNames[i] = "out_" + i;
            selectKvInputs[i] = "kv_" + i;
            mergeKvInputs[i] = "a_" + i;
            mergeKvInputs[n + i] = "b_" + i;
        }
        selectKvInputs[n] = "rows";
        selectKvInputs[n + 1] = "times";
        mergeKvInputs[2 * n] = "times_a";
        mergeKvInputs[2 * n + 1] = "times_b";
    }

    public static DecoderRunner open(Path modelFile, RunnerOptions options) {
        OrtEnvironment.spinWait(options.spinWait());
        if (options.prefillGraph()) {
            try {
                return open(Files.readAllBytes(modelFile), options);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + modelFile, e);
            }
        }
        return opened(NativeSession.open(modelFile, options.device(), options.threads()), null, options);
    }

    public static DecoderRunner open(byte[] model, RunnerOptions options) {
        OrtEnvironment.spinWait(options.spinWait());
        NativeSession decoder = NativeSession.open(model, options.device(), options.threads());
        return opened(decoder, options.prefillGraph() ? openPrefillGraph(model, options) : null, options);
    }

    /**
     * The decoder without its logits, or null where it cannot be had (the decoder then runs the prefills too: the
     * same cache, more arithmetic).
     */
    private static NativeSession openPrefillGraph(byte[] model, RunnerOptions options) {
        Optional<byte[]> pruned;
        try {
            pruned = GraphPruning.withoutOutput(model, "logits");
        } catch (IllegalArgumentException e) {
            log.warn("No logits-free prefill graph: {}", e.getMessage());
            return null;
        }
        if (pruned.isEmpty()) {
            log.info("No logits-free prefill graph: the model keeps its weights in external files or has subgraphs");
            return null;
        }
        try {
            return NativeSession.open(pruned.get(), options.device(), options.threads());
        } catch (RuntimeException e) {
            log.warn("No logits-free prefill graph: ONNX Runtime refused the pruned copy: {}", e.getMessage());
            return null;
        }
    }

    private static DecoderRunner opened(NativeSession session, NativeSession prefillGraph, RunnerOptions options) {
        try {
            return new DecoderRunner(session, prefillGraph, options);
        } catch (RuntimeException e) {
            session.close();
            if (prefillGraph != null) {
                prefillGraph.close();
            }
            throw e;
        }
    }

    /** The runs so far by kind, with the wall-clock time each kind took and what it processed (failed runs too). */
    public EngineTimes times() {
        return tally.snapshot();
    }

    /** Whether prefills that keep only the KV cache run a copy of the graph without its logits. */
    public boolean hasPrefillGraph() {
        return prefillGraph != null;
    }

    public GraphSignature signature() {
        return decoder.signature();
    }

    /** The execution provider's device. */
    public ExecutionDevice device() {
        return options.device();
    }

    /** The width of the logits, found by running one token (for graphs whose vocabulary axis is dynamic). */
    public int vocabSize() {
        DecoderBatch probe =
                new DecoderBatch(1, 1, new long[] {0}, 1, new long[] {1}, hasPositionIds ? new long[] {0} : null);
        DecodeStep step = step(probe, null, new int[] {0});
        step.cache().close();
        return step.vocabSize();
    }

    public boolean hasPositionIds() {
        return hasPositionIds;
    }

    /**
     * Whether the decoder computes the logits of the positions a step reads only (a graph with a
     * {@code logits_to_keep} input, not turned off in the options): a generation prefill then projects one position
     * per row onto the vocabulary.
     */
    public boolean keepsLogits() {
        return keepsLogits;
    }

    /** The largest logits output of a run so far, in bytes: what the logits of a pass take on the device. */
    public long peakLogitsBytes() {
        return peakLogitsBytes;
    }

    /** The logits output of the latest run that computed logits, in bytes. */
    public long lastLogitsBytes() {
        return lastLogitsBytes;
    }

    /** Past inputs (2 per layer): key, value of layer 0, then layer 1, ... */
    public int kvTensorCount() {
        return pastNames.length;
    }

    public ElementType kvType() {
        return kvType;
    }

    /** Bytes of KV cache per token of one row: every layer's key and value. */
    public long kvBytesPerToken() {
        return pastNames.length * kvHeads * headSize * kvType.bytes();
    }

    /**
     * Runs the decoder and returns the new KV cache and the float logits at {@code rows} (flat indices
     * {@code b * batch.length() + s}). Consumes {@code past}; null means an empty past (a prefill). Counted as a
     * {@link RunKind#GENERATION_PASS} from an empty past, a {@link RunKind#DECODE_STEP} over one. Where the decoder
     * {@link #keepsLogits() keeps} logits, it computes them from the earliest column {@code rows} name to the end of
     * each row: one column when every row reads its last position (a left-padded prefill, a decoding step).
     */
    public DecodeStep step(DecoderBatch batch, KvCache past, int[] rows) {
        int keep = positionsToKeep(batch.length(), rows);
        int[] keptRows = keep == batch.length() ? rows : keptRows(rows, batch.length(), keep);
        try (PointerScope scope = new PointerScope()) {
            Value[] outputs = runDecoder(
                    past == null ? RunKind.GENERATION_PASS : RunKind.DECODE_STEP,
                    decoder,
                    batch,
                    past,
                    keep == batch.length() ? 0 : keep,
                    true,
                    true);
            Value[] selected = run(
                    RunKind.LOGITS_COPY,
                    RunTally.Work.rows(rows.length),
                    selectLogits,
                    new String[] {"logits", "rows"},
                    new Value[] {outputs[0], longs(toLongs(keptRows), keptRows.length)},
                    new String[] {"selected"},
                    hostMemory);
            long vocab = shape(selected[0])[1];
            float[] logits = new float[(int) (rows.length * vocab)];
            selected[0].GetTensorMutableDataFloat().get(logits);
            Value[] presents = Arrays.copyOfRange(outputs, 1, outputs.length);
            return new DecodeStep(new KvCache(presents, batch.batch(), batch.maskLength()), logits, (int) vocab);
        }
    }

    /**
     * One forward pass over whole sequences (empty past) returning, for each flat position in {@code rows}, the
     * log-probability of {@code targets} at it and whether it is the argmax. The [batch, sequence, vocabulary]
     * logits never leave the device.
     */
    public TokenScores score(DecoderBatch batch, int[] rows, int[] targets) {
        return score(batch, null, rows, targets);
    }

    /**
     * As {@link #score(DecoderBatch, int[], int[])}, after a past (consumed; null for none): the new tokens see
     * the cached positions through the attention mask.
     */
    public TokenScores score(DecoderBatch batch, KvCache past, int[] rows, int[] targets) {
        try (PointerScope scope = new PointerScope()) {
            Value[] outputs = runDecoder(RunKind.SCORING_PASS, decoder, batch, past, 0, true, false);
            Value[] scores = run(
                    RunKind.TOKEN_SCORES,
                    RunTally.Work.rows(rows.length),
                    scoreTokens,
                    new String[] {"logits", "rows", "targets"},
                    new Value[] {outputs[0], longs(toLongs(rows), rows.length), longs(toLongs(targets), targets.length)
                    },
                    new String[] {"logprob", "greedy"},
                    hostMemory);
            return TokenScores.read(scores[0], scores[1], rows.length);
        }
    }

    /**
     * Runs sequences from an empty past and returns only their KV cache. With a prefill graph the projection onto
     * the vocabulary is skipped; without, ORT computes the logits anyway (it runs every node whatever the outputs
     * asked for) and they are only not fetched.
     */
    public KvCache prefill(DecoderBatch batch) {
        try (PointerScope scope = new PointerScope()) {
            // No logits are read: one position per row is the least the decoder can be asked for.
            Value[] presents = runDecoder(
                    RunKind.PREFILL, prefillGraph != null ? prefillGraph : decoder, batch, null, 1, false, true);
            return new KvCache(presents, batch.batch(), batch.maskLength());
        }
    }

    /** All logits of a pass from an empty past, as float, batch × length × vocab: for tests and benchmarks. */
    public float[] fullLogits(DecoderBatch batch) {
        int[] rows = new int[batch.batch() * batch.length()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        DecodeStep step = step(batch, null, rows);
        step.cache().close();
        return step.logits();
    }

    /** Keeps rows {@code rows} (which may repeat) and time steps {@code times} of a cache (consumed). */
    public KvCache select(KvCache cache, int[] rows, int[] times) {
        try (PointerScope scope = new PointerScope()) {
            int n = pastNames.length;
            Value[] inputs = new Value[n + 2];
            System.arraycopy(cache.values(), 0, inputs, 0, n);
            inputs[n] = longs(toLongs(rows), rows.length);
            inputs[n + 1] = longs(toLongs(times), times.length);
            Value[] outputs = run(
                    RunKind.CACHE_COPY,
                    RunTally.Work.rows(rows.length),
                    selectKv,
                    selectKvInputs,
                    inputs,
                    kvOutputNames,
                    kvMemory);
            cache.close();
            return new KvCache(outputs, rows.length, times.length);
        }
    }

    /**
     * New caches from the rows of one (consumed), every time step kept: one cache a part, part p holding rows
     * {@code parts[p]} (which may repeat rows). A cache cannot be read twice (an input of a run is not fit to be bound
     * again), so this is how one prefix cache feeds several passes: the part for the next pass and the rest.
     */
    public KvCache[] copyRows(KvCache cache, int[]... parts) {
        if (parts.length < 1 || parts.length > copyKvRows.length) {
            throw new IllegalArgumentException(
                    "a cache is copied into 1 to " + copyKvRows.length + " parts, not " + parts.length);
        }
        try (PointerScope scope = new PointerScope()) {
            int n = pastNames.length;
            String[] inputNames = new String[n + parts.length];
            Value[] inputs = new Value[n + parts.length];
            System.arraycopy(cache.values(), 0, inputs, 0, n);
            for (int i = 0; i < n; i++) {
                inputNames[i] = "kv_" + i;
            }
            String[] outputNames = new String[parts.length * n];
            for (int p = 0; p < parts.length; p++) {
                inputNames[n + p] = "rows_" + p;
                inputs[n + p] = longs(toLongs(parts[p]), parts[p].length);
                for (int i = 0; i < n; i++) {
                    outputNames[p * n + i] = "part" + p + "_" + i;
                }
            }
            long rowsMade = Arrays.stream(parts).mapToLong(part -> part.length).sum();
            Value[] outputs = run(
                    RunKind.CACHE_COPY,
                    RunTally.Work.rows(rowsMade),
                    copyKvRows[parts.length - 1],
                    inputNames,
                    inputs,
                    outputNames,
                    kvMemory);
            int length = cache.length();
            cache.close();
            KvCache[] copies = new KvCache[parts.length];
            for (int p = 0; p < parts.length; p++) {
                copies[p] = new KvCache(Arrays.copyOfRange(outputs, p * n, (p + 1) * n), parts[p].length, length);
            }
            return copies;
        }
    }

    /**
     * Stacks two caches (both consumed) along the batch: {@code a}'s rows first. Each is re-indexed on its time
     * axis by its own {@code times} (equal lengths), which pads the shorter one.
     */
    public KvCache merge(KvCache a, int[] timesA, KvCache b, int[] timesB) {
        if (timesA.length != timesB.length) {
            throw new IllegalArgumentException("both caches must be aligned to one length");
        }
        try (PointerScope scope = new PointerScope()) {
            int n = pastNames.length;
            Value[] inputs = new Value[2 * n + 2];
            System.arraycopy(a.values(), 0, inputs, 0, n);
            System.arraycopy(b.values(), 0, inputs, n, n);
            inputs[2 * n] = longs(toLongs(timesA), timesA.length);
            inputs[2 * n + 1] = longs(toLongs(timesB), timesB.length);
            int batch = a.batch() + b.batch();
            Value[] outputs = run(
                    RunKind.CACHE_COPY,
                    RunTally.Work.rows(batch),
                    mergeKv,
                    mergeKvInputs,
                    inputs,
                    kvOutputNames,
                    kvMemory);
            a.close();
            b.close();
            return new KvCache(outputs, batch, timesA.length);
        }
    }

    /**
     * Runs one token through the decoder and reports where ORT put the first present output: the allocator's name
     * ("Cpu", "Cuda", ...). On a CUDA worker anything but "Cuda" means the KV cache would silently live in host
     * memory (ORT ignores a CUDA output binding when the CUDA provider did not take the graph).
     */
    public String kvAllocatorName() {
        try (PointerScope scope = new PointerScope()) {
            DecoderBatch probe =
                    new DecoderBatch(1, 1, new long[] {0}, 1, new long[] {1}, hasPositionIds ? new long[] {0} : null);
            Value[] outputs = runDecoder(RunKind.GENERATION_PASS, decoder, probe, null, 1, true, true);
            MemoryInfoImpl info = outputs[1].GetTensorMemoryInfo();
            String name = info.GetAllocatorName().getString();
            // The info belongs to the tensor: detach it so that freeing the Java object does not free it twice.
            info.release();
            return name;
        }
    }

    /** Fails unless the KV cache lands on the configured KV device (see {@link #kvAllocatorName()}). */
    public void verifyKvPlacement() {
        if (!options.kvDevice().isCuda()) {
            return;
        }
        String allocator = kvAllocatorName();
        if (!allocator.equalsIgnoreCase("Cuda")) {
            throw new IllegalStateException("the KV cache output " + presentNames[0] + " is in '" + allocator
                    + "' memory, not on " + options.kvDevice() + ": the CUDA provider did not take the decoder, so "
                    + "every step would copy the cache through host memory");
        }
    }

    @Override
    public void close() {
        decoder.close();
        if (prefillGraph != null) {
            prefillGraph.close();
        }
        selectLogits.close();
        scoreTokens.close();
        selectKv.close();
        for (NativeSession session : copyKvRows) {
            session.close();
        }
        mergeKv.close();
        hostMemory.releaseReference();
        kvMemory.releaseReference();
    }

    /**
     * The positions at the end of each row that hold every one of {@code rows}: {@code length} (all) unless the
     * decoder keeps logits.
     */
    private int positionsToKeep(int length, int[] rows) {
        if (!keepsLogits || rows.length == 0) {
            return length;
        }
        int earliest = length;
        for (int row : rows) {
            earliest = Math.min(earliest, Math.floorMod(row, length));
        }
        return length - earliest;
    }

    /** {@code rows} (flat indices b * length + s) as indices into logits that hold the last {@code keep} columns. */
    private static int[] keptRows(int[] rows, int length, int keep) {
        int[] kept = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            kept[i] = rows[i] / length * keep + rows[i] % length - (length - keep);
        }
        return kept;
    }

    /**
     * Runs the decoder; returns [logits] followed by [present...] as asked (on the KV device). Consumes past.
     *
     * @param logitsToKeep fed to a decoder with that input (where the options allow, else 0): the last positions
     *     of each row whose logits the run computes, 0 for all
     */
    private Value[] runDecoder(
            RunKind kind,
            NativeSession session,
            DecoderBatch batch,
            KvCache past,
            int logitsToKeep,
            boolean withLogits,
            boolean withPresents) {
        int n = pastNames.length;
        List<String> names = new ArrayList<>(3 + n);
        List<Value> values = new ArrayList<>(3 + n);
        names.add("input_ids");
        values.add(longs(batch.inputIds(), batch.batch(), batch.length()));
        names.add("attention_mask");
        values.add(longs(batch.attentionMask(), batch.batch(), batch.maskLength()));
        if (hasPositionIds) {
            if (batch.positionIds() == null) {
                throw new IllegalArgumentException("this graph needs position_ids");
            }
            names.add("position_ids");
            values.add(longs(batch.positionIds(), batch.batch(), batch.length()));
        }
        Value[] pastValues = past == null ? null : past.values();
        if (past != null && (past.batch() != batch.batch() || past.length() + batch.length() != batch.maskLength())) {
            throw new IllegalArgumentException("a past of " + past.batch() + " rows × " + past.length()
                    + " steps does not fit a step of " + batch.batch() + " rows, mask width " + batch.maskLength());
        }
        for (int i = 0; i < n; i++) {
            names.add(pastNames[i]);
            values.add(pastValues == null ? emptyPast(batch.batch()) : pastValues[i]);
        }
        if (session.signature().input(LOGITS_TO_KEEP).isPresent()) {
            names.add(LOGITS_TO_KEEP);
            values.add(longs(new long[] {options.logitsToKeep() ? logitsToKeep : 0}));
        }
        List<String> outputNames = new ArrayList<>(n + 1);
        if (withLogits) {
            outputNames.add("logits");
        }
        if (withPresents) {
            outputNames.addAll(Arrays.asList(presentNames));
        }
        Value[] outputs = run(
                kind,
                RunTally.Work.of(batch),
                session,
                names.toArray(String[]::new),
                values.toArray(Value[]::new),
                outputNames.toArray(String[]::new),
                kvMemory);
        if (past != null) {
            past.close();
        }
        if (withLogits) {
            long bytes = logitsType.bytes();
            for (long dim : shape(outputs[0])) {
                bytes *= dim;
            }
            lastLogitsBytes = bytes;
            peakLogitsBytes = Math.max(peakLogitsBytes, bytes);
        }
        return outputs;
    }

    private Value[] run(
            RunKind kind,
            RunTally.Work work,
            NativeSession session,
            String[] inputNames,
            Value[] inputs,
            String[] outputNames,
            MemoryInfo memory) {
        long started = System.nanoTime();
        try {
            if (!options.ioBinding()) {
                return session.runPlain(inputNames, inputs, outputNames);
            }
            MemoryInfo[] memories = new MemoryInfo[outputNames.length];
            Arrays.fill(memories, memory);
            return session.runBound(inputNames, inputs, outputNames, memories);
        } finally {
            tally.add(kind, System.nanoTime() - started, work);
        }
    }

    /** An int64 host tensor in ORT-allocated memory (a Java array passed to CreateTensor is freed on return). */
    private Value longs(long[] data, long... shape) {
        Value value = Value.CreateTensor(hostAllocator, shape, shape.length, ElementType.INT64.code());
        if (data.length > 0) {
            value.GetTensorMutableDataLong().put(data);
        }
        return value;
    }

    private Value emptyPast(int batch) {
        long[] shape = {batch, kvHeads, 0, headSize};
        return Value.CreateTensor(hostAllocator, shape, shape.length, kvType.code());
    }

    private static long[] shape(Value value) {
        LongVector dims = value.GetTensorTypeAndShapeInfo().GetShape();
        long[] shape = new long[(int) dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i);
        }
        return shape;
    }

    private static long[] toLongs(int[] values) {
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = values[i];
        }
        return longs;
    }

    private static String[] kvNames(List<TensorSpec> specs, Pattern pattern) {
        record Named(String name, int layer, int part) {}
        List<Named> names = new ArrayList<>();
        for (TensorSpec spec : specs) {
            Matcher m = pattern.matcher(spec.name());
            if (m.matches()) {
                names.add(new Named(
                        spec.name(), Integer.parseInt(m.group(1)), m.group(2).equals("key") ? 0 : 1));
            }
        }
        names.sort(Comparator.comparingInt(Named::layer).thenComparingInt(Named::part));
        return names.stream().map(Named::name).toArray(String[]::new);
    }
}
