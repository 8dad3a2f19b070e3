package ai.assay.worker.callback;

import ai.assay.core.callback.CallbackDelivery;
import ai.assay.core.callback.CallbackOutbox;
import ai.assay.core.outbound.OutboundDecision;
import ai.assay.core.outbound.OutboundGuard;
import ai.assay.core.retry.RetryAfter;
import ai.assay.core.retry.RetryPolicy;
import ai.assay.core.retry.TransientFailure;
import ai.assay.worker.outbound.GuardedHttpClients;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Delivers completion callbacks from the outbox: POSTs the evaluation's summary to its callback URL, signed. A failed
 * attempt that another may cure ({@link #worthRetrying}, or no answer at all) is rescheduled in the outbox after the
 * wait of a {@link RetryPolicy} (the receiver's {@code Retry-After}, else exponential backoff with jitter) until
 * {@code max-attempts}; any other answer abandons the callback at once. Before each attempt the URL is put to the
 * {@link OutboundGuard} again, since its host may resolve elsewhere than at submission: a refused address abandons
 * the callback with the guard's reason; and the connection itself resolves through the guard
 * ({@link GuardedHttpClients}), so it goes only to the addresses checked. Redirects are never followed.
 * Delivery is at least once: receivers should use {@code X-Assay-Delivery} to drop duplicates.
 */
@Component
class CallbackDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CallbackDispatcher.class);
    private static final int BATCH = 10;

    private final CallbackOutbox outbox;
    private final CallbackProperties properties;
    private final CallbackSigner signer;
    private final RestClient http;
    private final RetryPolicy retries;
    private final OutboundGuard guard;
    private final CloseableHttpClient client;

    CallbackDispatcher(CallbackOutbox outbox, CallbackProperties properties, OutboundGuard guard) {
        this.outbox = outbox;
        this.guard = guard;
        this.properties = properties;
        this.retries = RetryPolicy.of(
                Math.max(1, properties.maxAttempts()), properties.initialBackoff(), properties.maxBackoff());
        this.signer = properties.secret().isEmpty() ? null : new CallbackSigner(properties.secret());
        if (signer == null) {
            log.warn("assay.worker.callback.secret is not set: completion callbacks are sent unsigned");
        }
        this.client = GuardedHttpClients.create(guard, properties.timeout(), properties.timeout());
        this.http = RestClient.builder()
                .requestFactory(new HttpComponentsClientHttpRequestFactory(client))
                .build();
    }

    @Scheduled(fixedDelayString = "${assay.worker.callback.poll-interval:1s}")
    void deliverDue() {
        List<CallbackDelivery> due;
        try {
            due = outbox.takeDue(BATCH, properties.timeout().multipliedBy(2));
        } catch (RuntimeException e) {
            log.warn("Could not read due callbacks: {}", e.getMessage());
            return;
        }
        due.forEach(this::deliver);
    }

    private void deliver(CallbackDelivery delivery) {
        byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
        OutboundDecision decision;
        try {
            decision = guard.check(URI.create(delivery.url()));
        } catch (IllegalArgumentException e) {
            outbox.failed(delivery.id(), null, "the callback URL is not a valid URI", null);
            return;
        }
        if (decision.refused()) {
            // the address is refused now (it may have resolved elsewhere at submission); another try would be too
            String error = "refused by the outbound guard: " + decision.reason();
            log.warn("Giving up on the callback of evaluation {}: {}", delivery.evaluationId(), error);
            outbox.failed(delivery.id(), null, error, null);
            return;
        }
        if (!decision.allowed()) {
            retryLater(delivery, null, decision.reason(), null); // not resolvable now: like a failed connection
            return;
        }
        try {
            ResponseEntity<Void> response = http.post()
                    .uri(delivery.url())
                    .contentType(MediaType.APPLICATION_JSON)
                    .header("X-Assay-Event", delivery.event())
                    .header("X-Assay-Delivery", Long.toString(delivery.id()))
                    .headers(headers -> {
                        if (signer != null) {
                            headers.set(CallbackSigner.HEADER, signer.sign(body));
                        }
                    })
                    .body(body)
                    .retrieve()
                    .onStatus(HttpStatusCode::isError, (request, errorResponse) -> {})
                    .toBodilessEntity();
            int status = response.getStatusCode().value();
            if (response.getStatusCode().is2xxSuccessful()) {
                outbox.delivered(delivery.id(), status);
                log.info("Delivered the {} callback of evaluation {}", delivery.event(), delivery.evaluationId());
            } else {
                retryLater(delivery, status, "HTTP " + status, RetryAfter.from(response.getHeaders()::getFirst));
            }
        } catch (RestClientException | IllegalArgumentException e) {
            Optional<String> refusal = GuardedHttpClients.refusalIn(e);
            if (refusal.isPresent()) {
                // the host passed the check above and then resolved to a refused address for the connection
                String error = "refused by the outbound guard: " + refusal.get();
                log.warn("Giving up on the callback of evaluation {}: {}", delivery.evaluationId(), error);
                outbox.failed(delivery.id(), null, error, null);
                return;
            }
            retryLater(delivery, null, e.getMessage(), null);
        }
    }

    private void retryLater(CallbackDelivery delivery, Integer status, String error, Duration retryAfter) {
        if (status != null && !worthRetrying(status)) {
            log.warn(
                    "Giving up on the callback of evaluation {}: the receiver answered {}, which another try would"
                            + " get again",
                    delivery.evaluationId(),
                    error);
            outbox.failed(delivery.id(), status, error, null);
            return;
        }
        if (delivery.attempts() >= properties.maxAttempts()) {
            log.warn(
                    "Giving up on the callback of evaluation {} after {} attempts: {}",
                    delivery.evaluationId(),
                    delivery.attempts(),
                    error);
            outbox.failed(delivery.id(), status, error, null);
            return;
        }
        Duration wait = waitBefore(delivery.attempts(), retryAfter);
        log.info("Callback of evaluation {} failed ({}); retrying in {}", delivery.evaluationId(), error, wait);
        outbox.failed(delivery.id(), status, error, Instant.now().plus(wait));
    }

    /** The wait after {@code attempts} failed attempts: the receiver's {@code Retry-After}, else the backoff. */
    Duration waitBefore(int attempts, Duration retryAfter) {
        return retries.waitBefore(attempts, retryAfter);
    }

    /**
     * Whether a callback that got this (non-2xx) status is tried again: what {@link TransientFailure} says a retry may
     * cure (408, 409, 429, 5xx), and 404, because a receiver in the middle of a deploy (its route not yet up, a load
     * balancer without a backend) answers 404 for a while. Any other status (400, 401, 403, 410, 422, a redirect,
     * which is never followed) is the receiver's final word on this body and is not asked again.
     */
    static boolean worthRetrying(int status) {
        return status == 404 || TransientFailure.isTransientStatus(status);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
