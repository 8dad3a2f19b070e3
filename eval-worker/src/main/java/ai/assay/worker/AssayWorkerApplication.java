package ai.assay.worker;

import ai.assay.core.EvalCoreConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import(EvalCoreConfiguration.class)
public class AssayWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(AssayWorkerApplication.class, args);
    }
}
