package ai.assay.worker.callback;

import ai.assay.core.callback.CallbackDelivery;
import ai.assay.core.callback.CallbackOutbox;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Delivers completion callbacks from the outbox: POSTs the evaluation's summary to its callback URL, signed, and
 * retries failures with exponential backoff (honouring {@code Retry-After}) until {@code max-attempts}.
 * Delivery is at least once: receivers should use {@code X-Assay-Delivery} to drop duplicates.
 */
@Component
class CallbackDispatcher {

    private static final Logger log = LoggerFactory.getLogger(CallbackDispatcher.class);
    private static final int BATCH = 10;

    private final CallbackOutbox outbox;
    private final CallbackProperties properties;
    private final CallbackSigner signer;
    private final RestClient http;

    CallbackDispatcher(CallbackOutbox outbox, CallbackProperties properties) {
        this.outbox = outbox;
        this.properties = properties;
        this.signer = properties.secret().isEmpty() ? null : new CallbackSigner(properties.secret());
        if (signer == null) {
            log.warn("assay.worker.callback.secret is not set: completion callbacks are sent unsigned");
        }
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
        requests.setReadTimeout(properties.timeout());
        this.http = RestClient.builder().requestFactory(requests).build();
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
                retryLater(
                        delivery,
                        status,
                        "HTTP " + status,
                        retryAfter(response.getHeaders().getFirst("Retry-After")));
            }
        } catch (RestClientException | IllegalArgumentException e) {
            retryLater(delivery, null, e.getMessage(), null);
        }
    }

    private void retryLater(CallbackDelivery delivery, Integer status, String error, Duration retryAfter) {
        if (delivery.attempts() >= properties.maxAttempts()) {
            log.warn(
                    "Giving up on the callback of evaluation {} after {} attempts: {}",
                    delivery.evaluationId(),
                    delivery.attempts(),
                    error);
            outbox.failed(delivery.id(), status, error, null);
            return;
        }
        Duration wait = backoff(delivery.attempts());
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : retryAfter;
        }
        log.info("Callback of evaluation {} failed ({}); retrying in {}", delivery.evaluationId(), error, wait);
        outbox.failed(delivery.id(), status, error, Instant.now().plus(wait));
    }

    /** initialBackoff × 2^(attempts − 1), at most maxBackoff. */
    Duration backoff(int attempts) {
        Duration wait = properties.initialBackoff();
        for (int i = 1; i < attempts && wait.compareTo(properties.maxBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : wait;
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
