package ai.assay.api.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI assayOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI()
                .info(
                        new Info()
                                .title("Assay API")
                                .version(properties == null ? "dev" : properties.getVersion())
                                .description(
                                        "Submit evaluations of language-model checkpoints, follow them, and read their results."
                                                + " Errors are RFC 9457 problem details; each problem type is described at its URI."));
    }
}
