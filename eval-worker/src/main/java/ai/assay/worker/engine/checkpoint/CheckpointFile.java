package ai.assay.worker.engine.checkpoint;

/** One file of a checkpoint directory as the evaluation records it: its name there, size and SHA-256 (hex). */
public record CheckpointFile(String name, long size, String sha256) {

    public static CheckpointFile of(String name, long size, String sha256) {
        return new CheckpointFile(name, size, sha256);
    }
}
