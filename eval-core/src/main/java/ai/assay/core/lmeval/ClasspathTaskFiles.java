package ai.assay.core.lmeval;

import ai.assay.reference.lmeval.TaskFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** The lm-eval task files the service ships: every {@code .yaml} under {@code lmeval/tasks/} on the classpath. */
public final class ClasspathTaskFiles {

    static final String ROOT = "lmeval/tasks/";
    private static final String PATTERN = "classpath*:" + ROOT + "**/*.yaml";

    private ClasspathTaskFiles() {}

    public static List<TaskFile> list() {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver(ClasspathTaskFiles.class.getClassLoader())
                    .getResources(PATTERN);
            return Arrays.stream(resources)
                    .map(resource -> (TaskFile) new Shipped(resource))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the lm-eval task files " + PATTERN, e);
        }
    }

    private record Shipped(Resource resource) implements TaskFile {

        @Override
        public String path() {
            String url = description();
            int root = url.lastIndexOf(ROOT);
            return root >= 0 ? url.substring(root + ROOT.length()) : url;
        }

        @Override
        public String description() {
            try {
                return resource.getURL().toString();
            } catch (IOException e) {
                return resource.getDescription();
            }
        }

        @Override
        public InputStream open() throws IOException {
            return resource.getInputStream();
        }

        @Override
        public TaskFile relative(String name) throws IOException {
            return new Shipped(resource.createRelative(name));
        }
    }
}
