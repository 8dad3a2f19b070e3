/**
 * The worker process itself: identity, settings, schema check at start, native library caches.
 * <p>Never: task or job logic.
 */
package ai.assay.worker.system;
