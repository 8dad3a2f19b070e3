package ai.assay.core.testing;

import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Backs {@link FreshDatabase}. The customizer is equal only for the same test class, so Spring's context cache
 * never hands one class's database to another.
 */
class FreshDatabaseContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        var annotation = MergedAnnotations.from(testClass, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                .get(FreshDatabase.class);
        if (!annotation.isPresent()) {
            return null;
        }
        return new FreshDatabaseCustomizer(testClass, annotation.getBoolean("migrate"));
    }

    private record FreshDatabaseCustomizer(Class<?> testClass, boolean migrate) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            TestDatabase database = TestPostgres.createDatabase();
            if (migrate) {
                database.migrate();
            }
            context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "freshDatabase",
                            Map.of(
                                    "spring.datasource.url", database.jdbcUrl(),
                                    "spring.datasource.username", database.username(),
                                    "spring.datasource.password", database.password())));
            var beanFactory = (DefaultListableBeanFactory) context.getBeanFactory();
            beanFactory.registerSingleton("freshDatabase", database);
            // Registered before every other bean, so it is destroyed after them: the pool closes first.
            beanFactory.registerDisposableBean("freshDatabaseDrop", database::close);
        }
    }
}
