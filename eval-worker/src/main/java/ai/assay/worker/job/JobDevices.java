package ai.assay.worker.job;

import ai.assay.worker.engine.DeviceSlots;
import ai.assay.worker.engine.decoding.EngineProperties;
import ai.assay.worker.system.WorkerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The devices the worker's concurrent jobs run on, from {@code assay.engine} and the process environment. */
@Configuration(proxyBeanMethods = false)
class JobDevices {

    @Bean
    DeviceSlots deviceSlots(EngineProperties engine, WorkerProperties worker) {
        try {
            return new DeviceSlots(
                    DeviceSlots.devices(engine.device(), engine.devices(), System.getenv()),
                    worker.concurrency(),
                    engine.shareDevices());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("assay.engine: " + e.getMessage(), e);
        }
    }
}
