package ai.assay.worker.lmeval;

import ai.assay.core.lmeval.LmEvalCatalog;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers one {@link LmEvalTaskRunner} bean per lm-eval task and group (the worker finds runners by task name),
 * so that adding a task file adds its runner.
 */
@Configuration(proxyBeanMethods = false)
public class LmEvalRunnerRegistration {

    @Bean
    static BeanDefinitionRegistryPostProcessor lmEvalTaskRunners() {
        return new BeanDefinitionRegistryPostProcessor() {
            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
                for (String name : LmEvalCatalog.names()) {
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
