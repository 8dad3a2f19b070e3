/**
 * lm-eval's task files that the service must not ship (the generation tasks' YAML, with exemplars and prompts that
 * belong to lm-eval and the benchmarks' authors): found in {@code assay.lmeval.tasks-dir}, the cache, or downloaded
 * from lm-eval's repository at the pinned commit and verified against the committed manifest of SHA-256s; given to
 * eval-reference's task loader as {@code TaskFile}s whose {@code include:}s resolve through the same source.
 * <p>Never: what a task file means (eval-reference's {@code lmeval}), which tasks the catalog offers, task text of
 * any kind in this module's sources or resources.
 */
package ai.assay.core.lmeval.taskfiles;
