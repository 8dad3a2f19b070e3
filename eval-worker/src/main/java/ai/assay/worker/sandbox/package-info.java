/**
 * The sandbox in which the worker runs untrusted, model-written Python: {@link
 * ai.assay.worker.sandbox.BubblewrapProgramExecutor}, eval-reference's {@code ProgramExecutor} behind Debian's
 * bubblewrap, with the deployment gate and limits of {@link ai.assay.worker.sandbox.SandboxProperties} (the gate itself is {@link ai.assay.core.task.CodeExecutionProperties}).
 * <p>Never: a program run in the worker's JVM or with its environment, namespace or mount code of our own (bubblewrap
 * does that), what a program means or how a task scores it (eval-reference's {@code lmeval.code}), or a setting a
 * request may change.
 */
package ai.assay.worker.sandbox;
