package ai.assay.api.problem;

import ai.assay.core.validation.JsonPointers;
import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Turns Jackson's binding failures into violations that name the field. */
public final class JacksonViolations {

    private JacksonViolations() {}

    /** The violation a binding failure stands for, or empty when it is not about a field (e.g. bad syntax). */
    public static Optional<Violation> of(JacksonException e) {
        String pointer = pointerOf(e);
        if (e instanceof UnrecognizedPropertyException unknown) {
            return Optional.of(new Violation(
                    ViolationKind.UNKNOWN_FIELD,
                    pointer,
                    "unknown field '%s'; known fields: %s"
                            .formatted(unknown.getPropertyName(), unknown.getKnownPropertyIds())));
        }
        if (e instanceof InputCoercionException) {
            return Optional.of(new Violation(
                    ViolationKind.OUT_OF_RANGE,
                    pointer,
                    "'%s' is beyond the range this field can hold".formatted(pointer)));
        }
        if (e instanceof MismatchedInputException mismatch) {
            String expected = mismatch.getTargetType() == null ? "another type" : describe(mismatch.getTargetType());
            return Optional.of(
                    new Violation(ViolationKind.INVALID_TYPE, pointer, "'%s' must be %s".formatted(pointer, expected)));
        }
        return Optional.empty();
    }

    static String pointerOf(JacksonException e) {
        String pointer = "";
        for (JacksonException.Reference reference : e.getPath()) {
            pointer = reference.getPropertyName() != null
                    ? JsonPointers.child(pointer, reference.getPropertyName())
                    : JsonPointers.child(pointer, reference.getIndex());
        }
        return pointer;
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}
