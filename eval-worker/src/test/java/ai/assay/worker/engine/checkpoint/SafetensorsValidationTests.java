package ai.assay.worker.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.testmodels.SafetensorsWriter;
import ai.assay.worker.engine.testmodels.TinyCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each malformed weight file fails the open with one error naming the file and, where there is one, the tensor. */
class SafetensorsValidationTests {

    @TempDir
    Path dir;

    private Path checkpointWithWeights(byte[] weights) throws IOException {
        TinyCheckpoint.of(DecoderFamily.LLAMA).writeTo(dir);
        Files.write(dir.resolve("model.safetensors"), weights);
        return dir;
    }

    private Path checkpointWithHeader(String header, int dataBytes) throws IOException {
        TinyCheckpoint.of(DecoderFamily.LLAMA).writeTo(dir);
        SafetensorsWriter.writeRaw(dir.resolve("model.safetensors"), header, new byte[dataBytes]);
        return dir;
    }

    private void assertRefused(Path checkpoint, String message) {
        assertThatThrownBy(() -> HfCheckpoint.open(checkpoint))
                .isExactlyInstanceOf(ModelLoadException.class)
                .hasMessage(message);
    }

    @Test
    void aFileShorterThanItsHeaderLengthIsTruncated() throws IOException {
        assertRefused(
                checkpointWithWeights(new byte[] {1, 2, 3}),
                "model.safetensors: truncated: 3 bytes, shorter than the 8-byte header length");
    }

    @Test
    void aHeaderLengthBeyondTheFileIsRefused() throws IOException {
        byte[] bytes = ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(4096)
                .array();
        assertRefused(
                checkpointWithWeights(bytes),
                "model.safetensors: header length 4096 runs past the end of the 16-byte file (truncated?)");
    }

    @Test
    void anAbsurdHeaderLengthIsRefusedBeforeReading() throws IOException {
        byte[] bytes = ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(-1)
                .array();
        assertRefused(
                checkpointWithWeights(bytes),
                "model.safetensors: header length 18446744073709551615 is above the 100000000-byte limit");
    }

    @Test
    void aFileCutShortInsideTheDataIsTruncated() throws IOException {
        TinyCheckpoint.of(DecoderFamily.LLAMA).writeTo(dir);
        Path weights = dir.resolve("model.safetensors");
        byte[] whole = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(whole, whole.length - 10));
        assertRefused(
                dir,
                "model.safetensors: tensor lm_head.weight: data_offsets ["
                        + (whole.length - 10 - 8 - headerLength(whole) - (37 * 32 * 4 - 10)) + ", "
                        + (whole.length - 8 - headerLength(whole))
                        + "] run past the end of the " + (whole.length - 10 - 8 - headerLength(whole))
                        + "-byte data (truncated?)");
    }

    @Test
    void aHeaderThatIsNotJsonIsRefused() throws IOException {
        assertRefused(
                checkpointWithHeader("{\"a\": ", 0),
                "model.safetensors: header is not valid JSON: Unexpected end-of-input within/between Object entries");
    }

    @Test
    void offsetsNotMatchingShapeTimesDtypeSizeAreRefused() throws IOException {
        assertRefused(
                checkpointWithHeader("{\"w\": {\"dtype\": \"F16\", \"shape\": [2, 3], \"data_offsets\": [0, 24]}}", 24),
                "model.safetensors: tensor w: data_offsets [0, 24] span 24 bytes but shape [2, 3] of F16 needs 12");
    }

    @Test
    void overlappingOffsetsAreRefused() throws IOException {
        assertRefused(
                checkpointWithHeader(
                        "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]},"
                                + " \"b\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [8, 24]}}",
                        24),
                "model.safetensors: tensor b: data_offsets [8, 24] overlap tensor a");
    }

    @Test
    void aGapBetweenTensorsIsRefused() throws IOException {
        assertRefused(
                checkpointWithHeader(
                        "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                                + " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [12, 20]}}",
                        20),
                "model.safetensors: tensor b: data_offsets [12, 20] leave a gap after byte 8 of the data");
    }

    @Test
    void offsetsOutsideTheDataAreRefused() throws IOException {
        assertRefused(
                checkpointWithHeader("{\"a\": {\"dtype\": \"BF16\", \"shape\": [8], \"data_offsets\": [0, 16]}}", 8),
                "model.safetensors: tensor a: data_offsets [0, 16] run past the end of the 8-byte data (truncated?)");
    }

    @Test
    void bytesNoTensorDescribesAreRefused() throws IOException {
        assertRefused(
                checkpointWithHeader("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 12),
                "model.safetensors: 8 bytes after the last tensor that no header entry describes");
    }

    @Test
    void aDtypeNotReadIsRefusedNamingTheTensor() throws IOException {
        assertRefused(
                checkpointWithHeader(
                        "{\"__metadata__\": {\"format\": \"pt\"},"
                                + " \"model.embed_tokens.weight\": {\"dtype\": \"I8\", \"shape\": [4], \"data_offsets\": [0, 4]}}",
                        4),
                "model.safetensors: tensor model.embed_tokens.weight: dtype I8 is not read (F32, F16 and BF16 are)");
    }

    @Test
    void aNegativeDimensionIsRefused() throws IOException {
        assertRefused(
                checkpointWithHeader("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 4),
                "model.safetensors: tensor a: shape holds -1, not a non-negative integer");
    }

    private static long headerLength(byte[] file) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }
}
