package ai.assay.core.lmeval.taskfiles;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Paths of task files in lm-eval's task tree: relative to {@code lm_eval/tasks/}, {@code /}-separated, with no
 * empty, {@code .} or {@code ..} segment, so that no path names a file outside the tree (in the tasks directory,
 * the cache or the repository).
 */
final class TaskFilePaths {

    private TaskFilePaths() {}

    /** @throws IllegalArgumentException when {@code path} is not a normal path inside the tree */
    static String requireValid(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("an lm-eval task file path cannot be empty");
        }
        if (path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0 || path.contains(":")) {
            throw new IllegalArgumentException(
                    "'%s' is not a path inside lm-eval's task tree (relative, '/'-separated)".formatted(path));
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(
                        "'%s' is not a normal path inside lm-eval's task tree (no empty, '.' or '..' part)"
                                .formatted(path));
            }
        }
        return path;
    }

    /**
     * The path that {@code name}, relative to {@code directory}, names: how lm-eval resolves an {@code include:}
     * (against the including file's directory), with {@code .} and {@code ..} taken out.
     *
     * @throws IllegalArgumentException when it leaves the tree or {@code name} is absolute
     */
    static String resolve(String directory, String name) {
        if (name == null || name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")) {
            throw new IllegalArgumentException("'%s' is not a path relative to %s inside lm-eval's task tree"
                    .formatted(name, directory.isEmpty() ? "the tree's root" : directory));
        }
        Deque<String> segments = new ArrayDeque<>();
        String joined = directory.isEmpty() ? name : directory + "/" + name;
        for (String segment : joined.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw new IllegalArgumentException("'%s' relative to %s leaves lm-eval's task tree"
                            .formatted(name, directory.isEmpty() ? "the tree's root" : directory));
                }
                segments.removeLast();
            } else {
                segments.addLast(segment);
            }
        }
        return requireValid(String.join("/", segments));
    }
}
