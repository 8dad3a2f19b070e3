package ai.assay.api.problem;

import java.io.IOException;

/**
 * Raised while a request body is read, as soon as it passes the limit. It is an IOException so that it travels
 * through the JSON reader; the exception handler finds it in the cause chain.
 */
public class BodyTooLargeException extends IOException {

    public BodyTooLargeException(long limit) {
        super("the request body is larger than the limit of " + limit + " bytes");
    }
}
