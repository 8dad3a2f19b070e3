package ai.assay.core.callback;

import java.util.UUID;

/** A callback a dispatcher has taken for delivery. */
public record CallbackDelivery(long id, UUID evaluationId, String url, String event, String payload, int attempts) {}
