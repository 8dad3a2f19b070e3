/**
 * Building and pruning ONNX graphs: the helper graphs the engine runs and copies of a model without the outputs a
 * pass does not need.
 * <p>Never: running them ({@code runtime}).
 */
package ai.assay.worker.engine.graph;
