/**
 * The Spring/JDBC kernel both services share; {@link ai.assay.core.EvalCoreConfiguration} lists its beans.
 * <p>Never: code that reproduces an upstream tool's semantics (eval-reference), web or worker concerns.
 */
package ai.assay.core;
