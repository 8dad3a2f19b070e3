package ai.assay.worker;

import ai.assay.core.EvalCoreConfiguration;
import ai.assay.worker.system.NativeLibraryCaches;
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
        NativeLibraryCaches.configure();
        SpringApplication.run(AssayWorkerApplication.class, args);
    }
}
