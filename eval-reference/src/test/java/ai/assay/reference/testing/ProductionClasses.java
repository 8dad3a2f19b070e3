package ai.assay.reference.testing;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.regex.Pattern;

/**
 * For architecture tests: only production classes, leaving out test classes whether they come from a module's
 * test-classes folder or from another module's test-jar (such as eval-reference's or eval-core's).
 */
public final class ProductionClasses implements ImportOption {

    private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar.*");

    @Override
    public boolean includes(Location location) {
        return !location.contains("/test-classes/") && !location.matches(TEST_JAR);
    }
}
