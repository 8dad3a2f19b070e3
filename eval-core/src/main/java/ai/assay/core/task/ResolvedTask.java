package ai.assay.core.task;

import tools.jackson.databind.node.ObjectNode;

/** A submitted task that passed validation, with every option default filled in. */
public record ResolvedTask(String name, ObjectNode options) {}
