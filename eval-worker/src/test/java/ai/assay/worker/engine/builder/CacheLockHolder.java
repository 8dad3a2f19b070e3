package ai.assay.worker.engine.builder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Another worker process for {@link BuiltModelCacheTests}: it builds a key through its own {@link BuiltModelCache}
 * on the same directory, and inside the build (holding the key's lock) it writes part of the model, prints
 * {@value #BUILDING} and the staging directory, and waits for a line on stdin before it finishes. The test either
 * sends the line or kills the process there.
 * <p>Usage: {@code CacheLockHolder <root> <key>}.
 */
public final class CacheLockHolder {

    static final String BUILDING = "BUILDING ";
    static final String DONE = "DONE reused=";
    static final String CONTENT = "built by the other process";

    private CacheLockHolder() {}

    public static void main(String[] args) throws IOException {
        BuiltModelCache cache = new BuiltModelCache(Path.of(args[0]));
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        BuiltModelCache.Entry entry = cache.obtain(args[1], staging -> {
            Files.writeString(staging.resolve("model.onnx"), CONTENT);
            System.out.println(BUILDING + staging);
            System.out.flush();
            if (stdin.readLine() == null) {
                throw new IOException("stdin closed before the build was told to finish");
            }
            Files.writeString(staging.resolve("model.onnx_data"), CONTENT);
        });
        System.out.println(DONE + entry.reused());
        System.out.flush();
    }
}
