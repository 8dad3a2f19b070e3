package ai.assay.worker.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The devices a worker's concurrent jobs run on, one engine per GPU: each job takes the least used device for its
 * duration, so with as many GPUs as jobs every job has a GPU of its own (slot {@code i} on {@code cuda:i}), instead
 * of every model loading on the first GPU.
 *
 * <p>The devices are {@code assay.engine.devices} when given; else, for {@code assay.engine.device} {@code auto} or
 * {@code cuda}, one per GPU the process may see ({@code CUDA_VISIBLE_DEVICES}, else {@code NVIDIA_VISIBLE_DEVICES},
 * which the NVIDIA device plugin sets to the GPUs a pod was given; CUDA numbers them from 0); else the one
 * configured device. Two jobs share a GPU
 * named outright ({@code cuda}, {@code cuda:N}) only with {@code assay.engine.share-devices}: such a worker whose
 * concurrency exceeds its GPUs is refused at start-up, since two engines on one GPU split its memory and each run
 * at half speed. Under {@code auto} a worker may have no GPU at all (then every job runs on the CPU), so there jobs
 * share the devices it has ({@link #shared()} says so, for a warning). The CPU is always shared.
 *
 * <p>Thread-safe.
 */
public final class DeviceSlots {

    private final List<Placement> devices;
    private final int[] inUse;
    private final boolean shared;

    /**
     * @throws IllegalArgumentException when {@code concurrency} jobs would put two engines on one GPU and
     *     {@code share} does not allow it
     */
    public DeviceSlots(List<Placement> devices, int concurrency, boolean share) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("a worker needs at least one device");
        }
        this.devices = List.copyOf(devices);
        this.inUse = new int[devices.size()];
        this.shared = concurrency > devices.size();
        boolean gpus = devices.stream().allMatch(d -> d.device().isCuda() && !d.cpuFallback());
        if (gpus && shared && !share) {
            throw new IllegalArgumentException(("assay.worker.concurrency is %d but the worker has %d GPU%s (%s): two"
                            + " jobs would share a GPU; lower the concurrency, give the pod more GPUs, or set"
                            + " assay.engine.share-devices=true")
                    .formatted(concurrency, devices.size(), devices.size() == 1 ? "" : "s", this.devices));
        }
    }

    /**
     * The devices for a worker's settings.
     *
     * @param configured  {@code assay.engine.device}
     * @param listed      {@code assay.engine.devices}, empty for none
     * @param environment the process environment ({@code CUDA_VISIBLE_DEVICES})
     */
    public static List<Placement> devices(String configured, List<String> listed, Map<String, String> environment) {
        if (!listed.isEmpty()) {
            return listed.stream().map(Placement::parse).toList();
        }
        Placement one = Placement.parse(configured);
        String value = configured.trim().toLowerCase(java.util.Locale.ROOT);
        int visible = environment.containsKey("CUDA_VISIBLE_DEVICES")
                ? visibleGpus(environment.get("CUDA_VISIBLE_DEVICES"))
                : visibleGpus(environment.get("NVIDIA_VISIBLE_DEVICES"));
        if ((value.equals("auto") || value.equals("cuda")) && visible > 1) {
            List<Placement> gpus = new ArrayList<>(visible);
            for (int i = 0; i < visible; i++) {
                gpus.add(one.onCuda(i));
            }
            return gpus;
        }
        return List.of(one);
    }

    /**
     * How many GPUs a visible-devices list names: its entries up to the first invalid one, as CUDA reads them; 0 for
     * none, and for the container toolkit's {@code all}, {@code none} and {@code void}, which name no count.
     */
    static int visibleGpus(String visible) {
        if (visible == null
                || visible.isBlank()
                || List.of("all", "none", "void").contains(visible.trim().toLowerCase(java.util.Locale.ROOT))) {
            return 0;
        }
        int count = 0;
        for (String entry : Arrays.stream(visible.split(",")).map(String::trim).toList()) {
            // CUDA stops at the first entry it cannot read ("-1", "NoDevFiles" as the device plugin writes for none)
            if (entry.isEmpty() || entry.startsWith("-") || entry.equalsIgnoreCase("NoDevFiles")) {
                break;
            }
            count++;
        }
        return count;
    }

    /** Takes the least used device (the first of them) until the returned lease is closed. */
    public synchronized Lease acquire() {
        int best = 0;
        for (int i = 1; i < inUse.length; i++) {
            if (inUse[i] < inUse[best]) {
                best = i;
            }
        }
        inUse[best]++;
        return new Lease(best);
    }

    private synchronized void release(int slot) {
        inUse[slot]--;
    }

    public List<Placement> devices() {
        return devices;
    }

    /** Whether more jobs may run at once than there are devices, so that some share one. */
    public boolean shared() {
        return shared;
    }

    /** One job's device; closing it gives the device back. */
    public final class Lease implements AutoCloseable {

        private final int slot;
        private boolean closed;

        private Lease(int slot) {
            this.slot = slot;
        }

        public Placement placement() {
            return devices.get(slot);
        }

        @Override
        public void close() {
            synchronized (DeviceSlots.this) {
                if (!closed) {
                    closed = true;
                    release(slot);
                }
            }
        }
    }
}
