package ai.assay.worker.lmeval;

import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.core.lmeval.taskfiles.TaskFileManifest;
import java.nio.file.Path;
import java.util.List;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Registers one {@link LmEvalTaskRunner} bean per lm-eval task and group (the worker finds runners by task name),
 * so that adding a task file adds its runner: the shipped tasks, and those of the pinned manifest or, where
 * {@code assay.lmeval.manifest} names another, of that one (read here, before the properties are bound).
 */
@Configuration(proxyBeanMethods = false)
public class LmEvalRunnerRegistration {

    @Bean
    static BeanDefinitionRegistryPostProcessor lmEvalTaskRunners(Environment environment) {
        String manifest = environment.getProperty("assay.lmeval.manifest");
        List<String> names = manifest == null || manifest.isBlank()
                ? LmEvalCatalog.names()
                : LmEvalCatalog.names(TaskFileManifest.read(Path.of(manifest)));
        return new BeanDefinitionRegistryPostProcessor() {
            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
                for (String name : names) {
                    AbstractBeanDefinition definition = BeanDefinitionBuilder.genericBeanDefinition(
                                    LmEvalTaskRunner.class)
                            .addConstructorArgValue(name)
                            .setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR)
                            .getBeanDefinition();
                    registry.registerBeanDefinition("lmEvalRunner." + name, definition);
                }
            }

            @Override
            public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
                // nothing: the definitions are complete
            }
        };
    }
}
