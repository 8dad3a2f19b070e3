package ai.assay.worker.engine.runtime;

import static org.bytedeco.onnxruntime.global.onnxruntime.ORT_LOGGING_LEVEL_WARNING;

import org.bytedeco.onnxruntime.Env;
import org.bytedeco.onnxruntime.ThreadingOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one ONNX Runtime environment. Its thread pools are global: every session of the process shares
 * them (sessions disable their own), so helper graphs do not each start and spin a pool of their own.
 */
final class OrtEnvironment {

    private static final Logger log = LoggerFactory.getLogger(OrtEnvironment.class);

    private static Env env;
    private static int threads;
    private static boolean spinWait = true;

    private OrtEnvironment() {}

    /** Whether the threads spin while waiting for work; takes effect only before the environment starts. */
    static synchronized void spinWait(boolean enabled) {
        if (env != null && enabled != spinWait) {
            log.warn("ONNX Runtime already started with spin-wait {}; ignoring {}", spinWait, enabled);
        }
        spinWait = enabled;
    }

    /**
     * The environment, created on first use with {@code intraOpThreads} threads; later calls asking for another
     * count get the existing one (ORT allows one environment per process).
     */
    static synchronized Env get(int intraOpThreads) {
        if (env == null) {
            ThreadingOptions options = new ThreadingOptions();
            options.SetGlobalIntraOpNumThreads(intraOpThreads);
            options.SetGlobalInterOpNumThreads(1);
            // Spinning between parallel sections helps on a dedicated machine; with more runnable threads than
            // cores it turns every step into a wait for descheduled spinners.
            options.SetGlobalSpinControl(spinWait ? 1 : 0);
            env = new Env(options.asOrtThreadingOptions(), ORT_LOGGING_LEVEL_WARNING, "assay");
            env.DisableTelemetryEvents();
            env.retainReference(); // never freed by a caller's PointerScope: it lives as long as the process
            options.close();
            threads = intraOpThreads;
            log.info("ONNX Runtime environment started with {} intra-op threads", intraOpThreads);
        } else if (intraOpThreads != threads) {
            log.warn("ONNX Runtime already runs with {} threads; ignoring a request for {}", threads, intraOpThreads);
        }
        return env;
    }
}
