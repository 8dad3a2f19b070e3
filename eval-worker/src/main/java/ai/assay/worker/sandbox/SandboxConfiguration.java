package ai.assay.worker.sandbox;

import ai.assay.core.task.CodeExecutionProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker's {@link ai.assay.reference.lmeval.code.ProgramExecutor}. It always exists; with code execution not
 * enabled it refuses every program, so a code task fails with that reason instead of a missing bean.
 */
@Configuration(proxyBeanMethods = false)
class SandboxConfiguration {

    @Bean(destroyMethod = "close")
    BubblewrapProgramExecutor programExecutor(CodeExecutionProperties gate, SandboxProperties sandbox) {
        return new BubblewrapProgramExecutor(gate, sandbox);
    }
}
