package ai.assay.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One engine per GPU: the devices a worker has and how its concurrent jobs take them. */
class DeviceSlotsTests {

    private static List<String> devices(String configured, List<String> listed, String visible) {
        Map<String, String> environment = visible == null ? Map.of() : Map.of("CUDA_VISIBLE_DEVICES", visible);
        return DeviceSlots.devices(configured, listed, environment).stream()
                .map(Placement::toString)
                .toList();
    }

    @Test
    void autoOrCudaGetsOneDevicePerVisibleGpuNumberedFromZero() {
        assertThat(devices("auto", List.of(), "4,5")).containsExactly("cuda:0 (else the CPU)", "cuda:1 (else the CPU)");
        assertThat(devices("cuda", List.of(), "GPU-1a2b,GPU-3c4d,GPU-5e6f"))
                .containsExactly("cuda:0", "cuda:1", "cuda:2");
        // CUDA stops at the first entry it cannot read
        assertThat(devices("cuda", List.of(), "0,1,-1,2")).containsExactly("cuda:0", "cuda:1");
        // the device plugin's variable, where CUDA's is not set
        assertThat(DeviceSlots.devices("auto", List.of(), Map.of("NVIDIA_VISIBLE_DEVICES", "GPU-aa,GPU-bb")))
                .hasSize(2);
        assertThat(DeviceSlots.devices("auto", List.of(), Map.of("NVIDIA_VISIBLE_DEVICES", "all")))
                .hasSize(1);
    }

    @Test
    void withoutSeveralVisibleGpusOrWithAnExplicitDeviceThereIsTheConfiguredOne() {
        assertThat(devices("auto", List.of(), null)).containsExactly("cuda:0 (else the CPU)");
        assertThat(devices("auto", List.of(), "NoDevFiles")).containsExactly("cuda:0 (else the CPU)");
        assertThat(devices("cpu", List.of(), "0,1")).containsExactly("cpu");
        assertThat(devices("cuda:1", List.of(), "0,1")).containsExactly("cuda:1");
    }

    @Test
    void aListOfDevicesIsTakenAsItIs() {
        assertThat(devices("auto", List.of("cuda:2", "cuda:0"), "0,1,2")).containsExactly("cuda:2", "cuda:0");
        assertThatThrownBy(() -> devices("auto", List.of("tpu:0"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tpu:0");
    }

    @Test
    void concurrentJobsTakeDistinctGpusAndAFreedOneIsTakenAgain() {
        DeviceSlots slots = new DeviceSlots(List.of(Placement.parse("cuda:0"), Placement.parse("cuda:1")), 2, false);

        DeviceSlots.Lease first = slots.acquire();
        DeviceSlots.Lease second = slots.acquire();
        assertThat(List.of(first.placement().toString(), second.placement().toString()))
                .containsExactly("cuda:0", "cuda:1");

        first.close();
        first.close(); // closing twice gives the device back once
        DeviceSlots.Lease third = slots.acquire();
        assertThat(third.placement().toString()).isEqualTo("cuda:0");
        assertThat(slots.acquire().placement().toString())
                .as("shared only when both are taken: the least used, the first of them")
                .isEqualTo("cuda:0");
    }

    @Test
    void moreJobsThanGpusAreRefusedUnlessSharingIsAllowed() {
        List<Placement> one = List.of(Placement.parse("cuda:0"));

        assertThatThrownBy(() -> new DeviceSlots(one, 2, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("assay.worker.concurrency is 2 but the worker has 1 GPU")
                .hasMessageContaining("assay.engine.share-devices");
        assertThat(new DeviceSlots(one, 2, true).devices()).hasSize(1);
        assertThat(new DeviceSlots(List.of(Placement.CPU), 4, false).devices())
                .as("the CPU is always shared")
                .containsExactly(Placement.CPU);
        DeviceSlots auto = new DeviceSlots(List.of(Placement.parse("auto")), 2, false);
        assertThat(auto.shared())
                .as("under auto the worker may have no GPU: its jobs share what it has")
                .isTrue();
    }

    @Test
    void aJobWithReplicasTakesDistinctLeastUsedGpusAtOnceAndGivesThemAllBack() {
        List<Placement> four = List.of(
                Placement.parse("cuda:0"),
                Placement.parse("cuda:1"),
                Placement.parse("cuda:2"),
                Placement.parse("cuda:3"));
        DeviceSlots slots = new DeviceSlots(four, 2, 2, false);

        DeviceSlots.Lease first = slots.acquire();
        DeviceSlots.Lease second = slots.acquire();
        assertThat(first.placements()).extracting(Placement::toString).containsExactly("cuda:0", "cuda:1");
        assertThat(first.placement().toString()).isEqualTo("cuda:0");
        assertThat(second.placements()).extracting(Placement::toString).containsExactly("cuda:2", "cuda:3");

        first.close();
        assertThat(slots.acquire(3).placements())
                .as("the two freed GPUs first, then the least used of the others")
                .extracting(Placement::toString)
                .containsExactly("cuda:0", "cuda:1", "cuda:2");
    }

    @Test
    void moreEnginesThanGpusAreRefusedWhateverSplitsThem() {
        List<Placement> two = List.of(Placement.parse("cuda:0"), Placement.parse("cuda:1"));

        assertThat(new DeviceSlots(two, 1, 2, false).shared()).isFalse();
        assertThatThrownBy(() -> new DeviceSlots(two, 2, 2, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("assay.worker.concurrency 2 times assay.engine.replicas-per-job 2 is 4")
                .hasMessageContaining("2 GPUs");
        assertThat(new DeviceSlots(two, 2, 2, true).shared()).isTrue();
        assertThatThrownBy(() -> new DeviceSlots(two, 1, 0, false))
                .hasMessageContaining("replicas-per-job must be at least 1");
    }

    @Test
    void replicasOnTheCpuShareIt() {
        DeviceSlots cpu = new DeviceSlots(List.of(Placement.CPU), 1, 2, false);

        assertThat(cpu.acquire().placements()).containsExactly(Placement.CPU, Placement.CPU);
        assertThat(cpu.shared()).isTrue();
    }
}
