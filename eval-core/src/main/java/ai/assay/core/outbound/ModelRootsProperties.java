package ai.assay.core.outbound;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the services may open files named in a submission (model directories, model outputs), under
 * {@code assay.models}.
 *
 * @param roots absolute directories; a file must lie under one of them once normalised and its symlinks resolved.
 *              Empty (the default) allows no file at all, so a service exposed to the network opens nothing on
 *              its node until an operator names the volume its models are on
 */
@ConfigurationProperties("assay.models")
public record ModelRootsProperties(@DefaultValue List<Path> roots) {

    public ModelRootsProperties {
        roots = roots == null ? List.of() : List.copyOf(roots);
        for (Path root : roots) {
            if (!root.isAbsolute()) {
                throw new IllegalArgumentException("assay.models.roots must list absolute directories, not " + root);
            }
        }
    }
}
