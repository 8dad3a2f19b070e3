package ai.assay.reference.lmeval;

/**
 * A {@code !function module.name} in a task file: lm-eval's Python helper next to the YAML, implemented in Java
 * by {@link TaskFunctions} under {@code <task directory>:<module.name>}.
 */
public record FunctionRef(String key) {

    @Override
    public String toString() {
        return "!function " + key;
    }
}
