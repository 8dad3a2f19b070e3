package ai.assay.core.outbound;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directories files named in a submission may be read from ({@code assay.models.roots}): a model directory
 * or a model_outputs.json must lie under one of them, so that {@code file:///etc/shadow} or a key file on the
 * worker's node is never opened. A path is refused when it is relative or names {@code ..}; otherwise it is
 * normalised and, as far as it exists, its symlinks are resolved ({@link Path#toRealPath}), so a link inside a
 * root that points outside it is refused too. No roots means no file access at all.
 */
public class FileRoots {

    static final String SETTING = "assay.models.roots";

    private final List<Path> roots;

    public FileRoots(ModelRootsProperties properties) {
        List<Path> real = new ArrayList<>();
        for (Path root : properties.roots()) {
            Path resolved = resolved(root.normalize());
            real.add(resolved == null ? root.normalize() : resolved);
        }
        this.roots = List.copyOf(real);
    }

    /** Why {@code path} may not be read, a sentence naming the setting that would allow it; empty when it may. */
    public Optional<String> refusal(Path path) {
        if (roots.isEmpty()) {
            return Optional.of("file access is off: %s lists no directory to read from".formatted(SETTING));
        }
        if (!path.isAbsolute()) {
            return Optional.of("the path must be absolute");
        }
        for (Path element : path) {
            if (element.toString().equals("..")) {
                return Optional.of("the path may not name '..'");
            }
        }
        Path real = resolved(path.normalize());
        if (real == null) {
            return Optional.of("the path's symbolic links cannot be resolved");
        }
        for (Path root : roots) {
            if (real.startsWith(root)) {
                return Optional.empty();
            }
        }
        return Optional.of("the path lies outside the directories %s lists%s"
                .formatted(SETTING, real.equals(path.normalize()) ? "" : " once its symbolic links are resolved"));
    }

    /**
     * The real path to open for {@code path}, for a caller about to read it.
     *
     * @throws OutboundRefusedException when it lies outside the roots
     */
    public Path requireReadable(Path path) {
        Optional<String> refusal = refusal(path);
        if (refusal.isPresent()) {
            throw new OutboundRefusedException("the file %s is not read: %s".formatted(path, refusal.get()));
        }
        return resolved(path.normalize());
    }

    /**
     * The path with the symlinks of its longest existing prefix resolved: a file that does not exist yet (a model
     * directory the worker mounts later) is judged by where its existing parents really are; null when a link
     * cannot be resolved.
     */
    private static Path resolved(Path path) {
        Path existing = path;
        Path rest = null;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            Path real = existing.toRealPath();
            return rest == null ? real : real.resolve(rest);
        } catch (IOException e) {
            return null; // a dangling link or no permission: where it leads is unknown, so it is refused
        }
    }
}
