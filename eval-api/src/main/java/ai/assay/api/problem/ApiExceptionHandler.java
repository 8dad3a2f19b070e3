package ai.assay.api.problem;

import ai.assay.core.validation.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Turns every failure into an RFC 9457 problem with a stable type ({@link ProblemKind}). Field problems carry an
 * {@code errors} array: {@code [{"type", "pointer", "detail"}]}, the pointer being a JSON Pointer into the body.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> handleProblem(ProblemException e) {
        ProblemDetail problem = problemOf(e.kind(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        return ResponseEntity.status(e.kind().status()).body(problem);
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> handleInvalidRequest(InvalidRequestException e) {
        return invalid(e.violations());
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> handleBodyTooLarge(BodyTooLargeException e) {
        return problem(ProblemKind.BODY_TOO_LARGE, e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
        log.error("Request failed", e);
        return problem(ProblemKind.INTERNAL_ERROR, "the request could not be completed");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLargeException tooLarge) {
                return widen(handleBodyTooLarge(tooLarge));
            }
            if (cause instanceof JacksonException jackson) {
                var violation = JacksonViolations.of(jackson);
                if (violation.isPresent()) {
                    return widen(invalid(List.of(violation.get())));
                }
            }
            if (cause instanceof StreamReadException syntax) {
                var location = syntax.getLocation();
                String where = location == null
                        ? ""
                        : " at line %d, column %d".formatted(location.getLineNr(), location.getColumnNr());
                return widen(problem(ProblemKind.MALFORMED_JSON, "the body is not valid JSON" + where));
            }
        }
        return widen(problem(ProblemKind.MALFORMED_JSON, "the request needs a JSON body"));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception e, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemKind kind = kindOf(e);
        ProblemDetail problem = body instanceof ProblemDetail detail
                ? detail
                : e instanceof ErrorResponse errorResponse ? errorResponse.getBody() : null;
        if (kind != null && problem != null) {
            problem.setType(kind.type());
            problem.setTitle(kind.title());
            if (e instanceof TypeMismatchException mismatch && mismatch.getPropertyName() != null) {
                problem.setProperty("parameter", mismatch.getPropertyName());
            }
            if (e instanceof MissingServletRequestParameterException missing) {
                problem.setProperty("parameter", missing.getParameterName());
            }
            return super.handleExceptionInternal(e, problem, headers, status, request);
        }
        return super.handleExceptionInternal(e, body, headers, status, request);
    }

    private static ProblemKind kindOf(Exception e) {
        if (e instanceof HttpMediaTypeNotSupportedException) {
            return ProblemKind.UNSUPPORTED_MEDIA_TYPE;
        }
        if (e instanceof HttpMediaTypeNotAcceptableException) {
            return ProblemKind.NOT_ACCEPTABLE;
        }
        if (e instanceof HttpRequestMethodNotSupportedException) {
            return ProblemKind.METHOD_NOT_ALLOWED;
        }
        if (e instanceof NoResourceFoundException) {
            return ProblemKind.NOT_FOUND;
        }
        if (e instanceof MissingServletRequestParameterException || e instanceof TypeMismatchException) {
            return ProblemKind.INVALID_PARAMETER;
        }
        return null;
    }

    private static ResponseEntity<ProblemDetail> invalid(List<Violation> violations) {
        Violation first = violations.get(0);
        String detail = violations.size() == 1
                ? first.detail()
                : "%d problems with the request; 'errors' lists them".formatted(violations.size());
        ProblemDetail problem = problemOf(ProblemKind.of(first.kind()), detail);
        problem.setProperty(
                "errors", violations.stream().map(ApiExceptionHandler::errorOf).toList());
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    private static Map<String, Object> errorOf(Violation violation) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", ProblemKind.of(violation.kind()).type());
        error.put("pointer", violation.pointer());
        error.put("detail", violation.detail());
        return error;
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemKind kind, String detail) {
        return ResponseEntity.status(kind.status()).body(problemOf(kind, detail));
    }

    static ProblemDetail problemOf(ProblemKind kind, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(kind.status(), detail);
        problem.setType(kind.type());
        problem.setTitle(kind.title());
        return problem;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> widen(ResponseEntity<ProblemDetail> response) {
        return (ResponseEntity) response;
    }
}
