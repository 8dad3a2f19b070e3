package ai.assay.core.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The code-execution switch is off unless the deployment turns it on, by property or by its environment variable. */
class CodeExecutionPropertiesTests {

    private static CodeExecutionProperties bind(org.springframework.core.env.PropertySource<?> source) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(source);
        ConfigurationPropertySources.attach(environment);
        return Binder.get(environment).bindOrCreate("assay.code-execution", CodeExecutionProperties.class);
    }

    @Test
    void codeExecutionIsOffByDefault() {
        assertThat(bind(new MapPropertySource("none", Map.of())).enabled()).isFalse();
        assertThat(CodeExecutionProperties.disabled().enabled()).isFalse();
    }

    @Test
    void theChartsEnvironmentVariableTurnsItOn() {
        assertThat(bind(new SystemEnvironmentPropertySource(
                                "systemEnvironment", Map.of("ASSAY_CODE_EXECUTION_ENABLED", "true")))
                        .enabled())
                .isTrue();
        assertThat(bind(new MapPropertySource("props", Map.of("assay.code-execution.enabled", "true")))
                        .enabled())
                .isTrue();
    }
}
