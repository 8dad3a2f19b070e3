package ai.assay.worker.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * One of a program's output streams, read to its end so the program never blocks on a full pipe, of which only the
 * first {@code limit} bytes are kept (and, for classifying how the program ended, the last {@link #TAIL} bytes):
 * 100 MB on stdout costs the worker a copy loop, not 100 MB of heap.
 */
final class CappedOutput {

    /** Enough for the last traceback of a failed program. */
    static final int TAIL = 8192;

    private final int limit;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private final byte[] tail = new byte[TAIL];
    private long total;

    CappedOutput(int limit) {
        this.limit = limit;
    }

    /** Reads {@code in} to its end (the program and all it started have exited, or were killed) and closes it. */
    void drain(InputStream in) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                append(buffer, n);
            }
        } catch (IOException e) {
            // the stream was closed under us after a kill: what was read so far is what the program wrote
        }
    }

    private synchronized void append(byte[] buffer, int n) {
        int kept = (int) Math.max(0, Math.min(n, limit - total));
        head.write(buffer, 0, kept);
        for (int i = 0; i < n; i++) {
            tail[(int) ((total + i) % TAIL)] = buffer[i];
        }
        total += n;
    }

    synchronized boolean truncated() {
        return total > limit;
    }

    /** The kept beginning, decoded as UTF-8 (a character cut at the limit becomes U+FFFD). */
    synchronized String text() {
        return head.toString(StandardCharsets.UTF_8);
    }

    /** The last {@link #TAIL} bytes written, decoded as UTF-8. */
    synchronized String tail() {
        int length = (int) Math.min(total, TAIL);
        byte[] last = new byte[length];
        for (int i = 0; i < length; i++) {
            last[i] = tail[(int) ((total - length + i) % TAIL)];
        }
        return new String(last, StandardCharsets.UTF_8);
    }
}
