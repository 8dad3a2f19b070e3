package ai.assay.core.validation;

/**
 * One thing wrong with a request.
 *
 * @param kind    what kind of problem it is; each kind has a stable problem type
 * @param pointer where it is, as a JSON Pointer (RFC 6901) into the request body, e.g. {@code /tasks/0/limit}
 * @param detail  a sentence for the person who sent the request
 */
public record Violation(ViolationKind kind, String pointer, String detail) {}
