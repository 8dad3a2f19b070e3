package ai.assay.worker.engine.runtime;

/** Tensor element types the engine handles, with ONNX's type codes (the same in ORT's C API). */
public enum ElementType {
    FLOAT(1, 4, "fp32"),
    FLOAT16(10, 2, "fp16"),
    BFLOAT16(16, 2, "bf16"),
    INT64(7, 8, "int64"),
    INT32(6, 4, "int32"),
    BOOL(9, 1, "bool");

    private final int code;
    private final int bytes;
    private final String shortName;

    ElementType(int code, int bytes, String shortName) {
        this.code = code;
        this.bytes = bytes;
        this.shortName = shortName;
    }

    public int code() {
        return code;
    }

    public int bytes() {
        return bytes;
    }

    /** "fp32", "fp16", "bf16", ... */
    public String shortName() {
        return shortName;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT || this == FLOAT16 || this == BFLOAT16;
    }

    /** The type of an ONNX code, or null when the engine does not handle it. */
    public static ElementType ofCode(int code) {
        for (ElementType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
