package ai.assay.core.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * Gives a Spring test class an application context of its own, backed by a new, empty PostgreSQL database that
 * is dropped when the context closes. The database is injectable as a {@link TestDatabase} bean.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ContextCustomizerFactories(FreshDatabaseContextCustomizerFactory.class)
public @interface FreshDatabase {

    /**
     * Whether the test applies the schema itself, before the context starts. eval-api migrates on its own; the
     * worker only validates, so its tests set this.
     */
    boolean migrate() default false;
}
