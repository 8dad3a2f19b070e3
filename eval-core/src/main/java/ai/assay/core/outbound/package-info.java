/**
 * What the services may reach on a submitter's behalf: the outbound guard (which URLs a worker may call, by the
 * address they resolve to, with {@code assay.outbound.allow} for exceptions) and the file roots (which files a
 * worker may open, {@code assay.models.roots}). The API asks them at submission, the worker again when it connects
 * or opens.
 * <p>Never: making the calls or reading the files (the callers do), task options.
 */
package ai.assay.core.outbound;
