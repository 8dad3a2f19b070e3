package ai.assay.reference.lmeval;

import java.util.ArrayList;
import java.util.List;

/**
 * A resolved lm-eval group: its children (tasks and groups, in the group file's order, a tag expanded to its tasks
 * in name order) and, through them, its leaf tasks.
 */
public record LmEvalGroup(GroupConfig config, List<Object> children) {

    public LmEvalGroup {
        children = List.copyOf(children);
    }

    public String name() {
        return config.group();
    }

    /** Every leaf task under the group, depth first. */
    public List<LmEvalTask> leaves() {
        List<LmEvalTask> leaves = new ArrayList<>();
        for (Object child : children) {
            if (child instanceof LmEvalTask task) {
                leaves.add(task);
            } else {
                leaves.addAll(((LmEvalGroup) child).leaves());
            }
        }
        return leaves;
    }

    /** This group and every group under it, parents first. */
    public List<LmEvalGroup> groups() {
        List<LmEvalGroup> groups = new ArrayList<>();
        groups.add(this);
        for (Object child : children) {
            if (child instanceof LmEvalGroup group) {
                groups.addAll(group.groups());
            }
        }
        return groups;
    }
}
