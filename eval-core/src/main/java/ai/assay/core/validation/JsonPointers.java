package ai.assay.core.validation;

/**
 * Builds JSON Pointers (RFC 6901) to places in a request body.
 */
public final class JsonPointers {

    private JsonPointers() {}

    public static String child(String parent, String property) {
        return parent + "/" + property.replace("~", "~0").replace("/", "~1");
    }

    public static String child(String parent, int index) {
        return parent + "/" + index;
    }
}
