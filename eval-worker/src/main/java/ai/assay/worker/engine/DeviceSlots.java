package ai.assay.worker.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The devices a worker's concurrent jobs run on, one engine per GPU: each job takes the least used device for its
 * duration, so with as many GPUs as jobs every job has a GPU of its own (slot {@code i} on {@code cuda:i}), instead
 * of every model loading on the first GPU. A job that loads its model once per GPU ({@code
 * assay.engine.replicas-per-job}) takes that many distinct devices at once.
 *
 * <p>The devices are {@code assay.engine.devices} when given; else, for {@code assay.engine.device} {@code auto} or
 * {@code cuda}, one per GPU the process may see ({@code CUDA_VISIBLE_DEVICES}, else {@code NVIDIA_VISIBLE_DEVICES},
 * which the NVIDIA device plugin sets to the GPUs a pod was given; CUDA numbers them from 0); else the one
 * configured device. Two engines share a GPU
 * named outright ({@code cuda}, {@code cuda:N}) only with {@code assay.engine.share-devices}: such a worker whose
 * concurrency times replicas per job exceeds its GPUs is refused at start-up, since two engines on one GPU split its memory and each run
 * at half speed. Under {@code auto} a worker may have no GPU at all (then every job runs on the CPU), so there jobs
 * share the devices it has ({@link #shared()} says so, for a warning). The CPU is always shared.
 *
 * <p>Thread-safe.
 */
public final class DeviceSlots {

    private final List<Placement> devices;
    private final int[] inUse;
    private final int replicasPerJob;
    private final boolean shared;

    /** One engine per job. */
    public DeviceSlots(List<Placement> devices, int concurrency, boolean share) {
        this(devices, concurrency, 1, share);
    }

    /**
     * @param replicasPerJob the engines each job loads, one per device ({@link #acquire()} takes that many)
     * @throws IllegalArgumentException when {@code concurrency} jobs of {@code replicasPerJob} engines would put two
     *     engines on one GPU and {@code share} does not allow it
     */
    public DeviceSlots(List<Placement> devices, int concurrency, int replicasPerJob, boolean share) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("a worker needs at least one device");
        }
        if (replicasPerJob < 1) {
            throw new IllegalArgumentException("assay.engine.replicas-per-job must be at least 1");
        }
        this.devices = List.copyOf(devices);
        this.inUse = new int[devices.size()];
        this.replicasPerJob = replicasPerJob;
        int engines = concurrency * replicasPerJob;
        this.shared = engines > devices.size();
        boolean gpus = devices.stream().allMatch(d -> d.device().isCuda() && !d.cpuFallback());
        if (gpus && shared && !share) {
            String wanted = replicasPerJob == 1
                    ? "assay.worker.concurrency is %d".formatted(concurrency)
                    : "assay.worker.concurrency %d times assay.engine.replicas-per-job %d is %d"
                            .formatted(concurrency, replicasPerJob, engines);
            throw new IllegalArgumentException(("%s but the worker has %d GPU%s (%s): two engines would share a"
                            + " GPU; lower the concurrency%s, give the pod more GPUs, or set"
                            + " assay.engine.share-devices=true")
                    .formatted(
                            wanted,
                            devices.size(),
                            devices.size() == 1 ? "" : "s",
                            this.devices,
                            replicasPerJob == 1 ? "" : " or the replicas per job"));
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

    /** Takes a job's devices, {@code assay.engine.replicas-per-job} of them, until the lease is closed. */
    public Lease acquire() {
        return acquire(replicasPerJob);
    }

    /**
     * Takes {@code count} devices at once, the least used first (ties to the first of them), all distinct while
     * there are that many; beyond that a device is taken again, again the least used, which only a shared worker
     * (the CPU, or {@code share-devices}) comes to.
     */
    public synchronized Lease acquire(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a job takes at least one device, not " + count);
        }
        int[] slots = new int[count];
        boolean[] taken = new boolean[inUse.length];
        for (int n = 0; n < count; n++) {
            if (n % inUse.length == 0) {
                Arrays.fill(taken, false);
            }
            int best = -1;
            for (int i = 0; i < inUse.length; i++) {
                if (!taken[i] && (best < 0 || inUse[i] < inUse[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            inUse[best]++;
            slots[n] = best;
        }
        return new Lease(slots);
    }

    private synchronized void release(int[] slots) {
        for (int slot : slots) {
            inUse[slot]--;
        }
    }

    public List<Placement> devices() {
        return devices;
    }

    /** Whether more engines may run at once (jobs times replicas per job) than there are devices, so some share. */
    public boolean shared() {
        return shared;
    }

    /** One job's devices; closing it gives them back. */
    public final class Lease implements AutoCloseable {

        private final int[] slots;
        private boolean closed;

        private Lease(int[] slots) {
            this.slots = slots;
        }

        /** The first device: the job's only one without replicas. */
        public Placement placement() {
            return devices.get(slots[0]);
        }

        /** One device per replica of the job's model, in the order taken. */
        public List<Placement> placements() {
            return Arrays.stream(slots).mapToObj(devices::get).toList();
        }

        @Override
        public void close() {
            synchronized (DeviceSlots.this) {
                if (!closed) {
                    closed = true;
                    release(slots);
                }
            }
        }
    }
}
