package ai.assay.worker.queue;

import ai.assay.core.evaluation.RunState;
import tools.jackson.databind.node.ObjectNode;

/** A task of a claimed job, as the worker needs it. */
public record JobTask(long id, String name, ObjectNode options, RunState state) {}
