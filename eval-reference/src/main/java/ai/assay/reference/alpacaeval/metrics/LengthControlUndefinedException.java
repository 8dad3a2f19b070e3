package ai.assay.reference.alpacaeval.metrics;

/**
 * The length-controlled win rate has no value for these annotations: alpaca_eval standardises the length
 * differences by their pandas standard deviation, which is NaN for a single annotation and 0/0 when every
 * difference is 0, so a feature of the fit is not a number and alpaca_eval's own fit fails too.
 */
public class LengthControlUndefinedException extends IllegalArgumentException {

    LengthControlUndefinedException(String message) {
        super(message);
    }
}
