package ai.assay.reference.jinja;

import com.hubspot.jinjava.util.HasObjectTruthValue;
import java.util.Iterator;

/**
 * Jinja2's {@code StrictUndefined}, which lm-eval renders with: the value of an undefined name or of a lookup that
 * finds nothing. It may be tested ({@code is defined}, {@code is undefined}) and replaced ({@code default}); any
 * other use (printing, truth, iteration, comparison, an attribute or method of it, joining it to a string) fails
 * with the message Jinja2 gives.
 */
final class StrictUndefined implements HasObjectTruthValue, Iterable<Object> {

    private final String message;

    StrictUndefined(String message) {
        this.message = message;
    }

    JinjaException failure() {
        return new JinjaException(JinjaException.Kind.UNDEFINED, message);
    }

    @Override
    public boolean getObjectTruthValue() {
        throw failure();
    }

    @Override
    public Iterator<Object> iterator() {
        throw failure();
    }

    @Override
    public String toString() {
        throw failure();
    }

    @Override
    public boolean equals(Object other) {
        throw failure();
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
