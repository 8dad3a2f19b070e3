package ai.assay.worker.outbound;

import ai.assay.core.outbound.FileRoots;
import ai.assay.core.outbound.OutboundGuard;
import ai.assay.core.outbound.OutboundProperties;
import ai.assay.core.outbound.OutboundRefusedException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.springframework.stereotype.Component;

/**
 * Reads a resource a submitter named by URI (model outputs, say): a {@code file:} under the {@link FileRoots}, or an
 * {@code http:}/{@code https:} URL through a {@link GuardedHttpClients guarded client}. The API checked the form, the
 * guard and the roots at submission; what a URI names is still the submitter's, not the operator's, so it is read
 * defensively: every connection, redirects included, goes only to addresses the guard allows at that moment;
 * redirects are followed by hand, at most {@value #MAX_REDIRECTS}; files are opened only under the roots, symbolic
 * links resolved; a body or file is read up to {@code assay.outbound.max-body-size}, and one byte more fails the read
 * instead of filling the heap; no error message quotes what was read, since task errors are shown to anyone who can
 * read the evaluation.
 */
@Component
public class SubmittedResources implements AutoCloseable {

    static final int MAX_REDIRECTS = 5;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);

    private final OutboundGuard guard;
    private final FileRoots roots;
    private final long maxBytes;
    private final CloseableHttpClient http;

    public SubmittedResources(OutboundGuard guard, FileRoots roots, OutboundProperties properties) {
        this.guard = guard;
        this.roots = roots;
        this.maxBytes = properties.maxBodySize().toBytes();
        this.http = GuardedHttpClients.create(guard, CONNECT_TIMEOUT, RESPONSE_TIMEOUT);
    }

    /**
     * The bytes {@code uri} names.
     *
     * @param what what the resource is, for error messages ("the model outputs")
     * @throws IllegalStateException with a message that names the URI and the cause, never the content
     */
    public byte[] read(URI uri, String what) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        try {
            return scheme.equals("file") ? readFile(uri, what) : get(uri, what);
        } catch (IOException e) {
            Optional<String> refusal = GuardedHttpClients.refusalIn(e);
            if (refusal.isPresent()) {
                throw new IllegalStateException("%s at %s are not fetched: %s".formatted(what, uri, refusal.get()));
            }
            // the messages of the JDK and of the client name the path or the connection, never what was read
            throw new IllegalStateException("cannot read %s at %s: %s".formatted(what, uri, e.getMessage()));
        }
    }

    private byte[] readFile(URI uri, String what) throws IOException {
        Path path = roots.requireReadable(Path.of(uri));
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("%s at %s are not a regular file".formatted(what, uri));
        }
        try (InputStream in = Files.newInputStream(path)) {
            return bounded(in, uri, what);
        }
    }

    private byte[] get(URI first, String what) throws IOException {
        URI uri = first;
        for (int redirects = 0; ; redirects++) {
            try {
                guard.requireAllowed(uri); // the scheme and user information; the address is checked at connection
            } catch (OutboundRefusedException e) {
                throw new IllegalStateException("%s at %s are not fetched: %s".formatted(what, uri, e.getMessage()));
            }
            Hop hop;
            // opened and closed here rather than through a response handler, which would read a redirect's body
            // to its end to keep the connection: closing unread drops the connection instead
            try (ClassicHttpResponse response = http.executeOpen(null, new HttpGet(uri), null)) {
                hop = hop(response, uri, what);
            }
            if (hop.location() == null) {
                return hop.body();
            }
            if (redirects == MAX_REDIRECTS) {
                throw new IllegalStateException(
                        "fetching %s from %s took more than %d redirects".formatted(what, first, MAX_REDIRECTS));
            }
            uri = uri.resolve(hop.location());
        }
    }

    private Hop hop(ClassicHttpResponse response, URI uri, String what) throws IOException {
        int status = response.getCode();
        Header location = response.getFirstHeader("Location");
        if (isRedirect(status) && location != null) {
            return new Hop(null, location.getValue());
        }
        if (status != 200) {
            throw new IllegalStateException("fetching %s from %s answered HTTP %d".formatted(what, uri, status));
        }
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return new Hop(new byte[0], null);
        }
        if (entity.getContentLength() > maxBytes) {
            throw tooLarge(uri, what);
        }
        try (InputStream body = entity.getContent()) {
            return new Hop(bounded(body, uri, what), null);
        }
    }

    /** One answer: the body, or where a redirect points. */
    private record Hop(byte[] body, String location) {}

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private byte[] bounded(InputStream in, URI uri, String what) throws IOException {
        byte[] read = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (read.length > maxBytes) {
            throw tooLarge(uri, what);
        }
        return read;
    }

    private IllegalStateException tooLarge(URI uri, String what) {
        return new IllegalStateException(
                "%s at %s are larger than assay.outbound.max-body-size (%d bytes)".formatted(what, uri, maxBytes));
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
