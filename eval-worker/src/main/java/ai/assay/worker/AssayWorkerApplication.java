package ai.assay.worker;

import ai.assay.core.EvalCoreConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

@SpringBootApplication
@ConfigurationPropertiesScan
@Import(EvalCoreConfiguration.class)
public class AssayWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(AssayWorkerApplication.class, args);
    }
}
