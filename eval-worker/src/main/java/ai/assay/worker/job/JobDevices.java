package ai.assay.worker.job;

import ai.assay.worker.engine.DeviceSlots;
import ai.assay.worker.engine.decoding.EngineProperties;
import ai.assay.worker.system.WorkerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The devices the worker's concurrent jobs run on, from {@code assay.engine} and the process environment. */
@Configuration(proxyBeanMethods = false)
class JobDevices {

    private static final Logger log = LoggerFactory.getLogger(JobDevices.class);

    @Bean
    DeviceSlots deviceSlots(EngineProperties engine, WorkerProperties worker) {
        DeviceSlots slots;
        try {
            slots = new DeviceSlots(
                    DeviceSlots.devices(engine.device(), engine.devices(), System.getenv()),
                    worker.concurrency(),
                    engine.replicasPerJob(),
                    engine.shareDevices());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("assay.engine: " + e.getMessage(), e);
        }
        String perJob = engine.replicasPerJob() == 1
                ? ""
                : ", each on %d of them (assay.engine.replicas-per-job)".formatted(engine.replicasPerJob());
        if (slots.shared() && slots.devices().stream().anyMatch(d -> d.device().isCuda())) {
            log.warn(
                    "{} jobs at a time on {}{}: engines share a device when there is a GPU (set assay.engine.devices"
                            + " or CUDA_VISIBLE_DEVICES to give each its own)",
                    worker.concurrency(),
                    slots.devices(),
                    perJob);
        } else {
            log.info("Jobs run on {}{}", slots.devices(), perJob);
        }
        return slots;
    }
}
