package ai.assay.worker.engine.devicecheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.assay.worker.engine.builder.GraphVariant;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DeviceCheckTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aCpuCheckRecordsEveryMeasurementAndTwoRunsPickTheSameGreedyTokens(@TempDir Path dir) throws Exception {
        DeviceCheck.main(new String[] {
            "--device",
            "cpu",
            "--shape",
            "tiny",
            "--dtype",
            "bf16",
            "--threads",
            "2",
            "--batches",
            "1,2",
            "--work",
            dir.resolve("a").toString(),
            "--out",
            dir.resolve("a.json").toString()
        });
        DeviceCheck.main(new String[] {
            "--device",
            "cpu",
            "--shape",
            "tiny",
            "--dtype",
            "bf16",
            "--threads",
            "1",
            "--batches",
            "2,1",
            "--bandwidth-gbs",
            "50",
            "--work",
            dir.resolve("b").toString(),
            "--out",
            dir.resolve("b.json").toString()
        });
        JsonNode a = JSON.readTree(Files.readString(dir.resolve("a.json")));
        JsonNode b = JSON.readTree(Files.readString(dir.resolve("b.json")));

        assertThat(a.get("kit_version").asInt()).isEqualTo(CheckResult.KIT_VERSION);
        assertThat(a.at("/device/requested").asString()).isEqualTo("cpu");
        assertThat(a.get("shape").asString()).isEqualTo("tiny");
        assertThat(a.at("/build/variant").asString()).isEqualTo(GraphVariant.CPU_FP32.label());
        assertThat(a.at("/build/operators").size()).isPositive();
        assertThat(a.at("/build/weights_bytes").asLong()).isPositive();
        assertThat(a.at("/kv_cache/checked").asBoolean()).isFalse();
        assertThat(Path.of(a.at("/checkpoint/directory").asString()).resolve("model.safetensors"))
                .isRegularFile();
        List<Integer> batches = new ArrayList<>();
        for (JsonNode rate : a.get("rates")) {
            batches.add(rate.get("batch").asInt());
            assertThat(rate.get("prefill_tokens_per_second").asDouble()).isPositive();
            assertThat(rate.get("decode_tokens_per_second").asDouble()).isPositive();
            assertThat(rate.get("scoring_requests_per_second").asDouble()).isPositive();
        }
        assertThat(batches).containsExactly(1, 2);
        assertThat(a.at("/workload/rate_prompts").size()).isEqualTo(2);
        assertThat(a.at("/workload/rate_prompts/0").size()).isEqualTo(CheckShape.TINY.promptLength());
        assertThat(a.at("/workload/score_sequences/1").size()).isEqualTo(CheckShape.TINY.scoreLength());
        assertThat(a.at("/scoring/log_probs").size()).isEqualTo(CheckShape.TINY.scoreContinuation());

        JsonNode greedy = a.get("greedy");
        assertThat(greedy.size()).isEqualTo(CheckShape.TINY.greedyPromptLengths().length);
        for (JsonNode run : greedy) {
            assertThat(run.get("tokens").size()).isEqualTo(CheckShape.TINY.greedySteps());
            for (int s = 0; s < CheckShape.TINY.greedySteps(); s++) {
                assertThat(run.get("tokens").get(s).asInt()).isBetween(0, CheckShape.TINY.vocab() - 1);
                assertThat(run.get("log_probs").get(s).asDouble()).isNegative();
                assertThat(run.get("margins").get(s).asDouble()).isNotNegative();
            }
        }
        assertThat(b.get("greedy")).isEqualTo(greedy);
        assertThat(b.at("/scoring/log_probs")).isEqualTo(a.at("/scoring/log_probs"));

        assertThat(a.at("/roofline/bandwidth_gbs").isNull()).isTrue();
        assertThat(a.at("/roofline/fraction").isNull()).isTrue();
        long bytesPerStep = b.at("/roofline/weights_bytes_per_step").asLong();
        // tiny is untied: every float32 parameter but the embedding table's
        assertThat(bytesPerStep).isEqualTo((b.at("/checkpoint/parameters").asLong() - 512L * 64) * 4);
        double bound = 50e9 / bytesPerStep;
        assertThat(b.at("/roofline/tokens_per_second").asDouble()).isCloseTo(bound, within(bound * 1e-9));
        double batchOne = b.at("/rates/0/decode_tokens_per_second").asDouble();
        assertThat(b.at("/roofline/fraction").asDouble()).isCloseTo(batchOne / bound, within(1e-12));
    }

    @Test
    void theFusedGraphOnTheCpuPicksTheGreedyTokensOfTheFloat32Graph(@TempDir Path dir) throws Exception {
        CheckResult plain = DeviceCheck.run(CheckOptions.parse(
                "--device",
                "cpu",
                "--shape",
                "tiny",
                "--batches",
                "1",
                "--work",
                dir.resolve("w").toString(),
                "--out",
                dir.resolve("plain.json").toString()));
        CheckResult fused = DeviceCheck.run(CheckOptions.parse(
                "--device",
                "cpu",
                "--shape",
                "tiny",
                "--batches",
                "1",
                "--variant",
                "fused-fp32",
                "--work",
                dir.resolve("w").toString(),
                "--out",
                dir.resolve("fused.json").toString()));

        assertThat(fused.build().variant()).isEqualTo("fused-fp32-v1");
        assertThat(fused.build().operators()).contains("com.microsoft.GroupQueryAttention");
        assertThat(fused.checkpoint().writeSeconds())
                .as("the second run reuses the checkpoint")
                .isZero();
        int compared = 0;
        for (int p = 0; p < plain.greedy().size(); p++) {
            CheckResult.GreedyRun x = plain.greedy().get(p);
            CheckResult.GreedyRun y = fused.greedy().get(p);
            for (int s = 0; s < x.tokens().length; s++) {
                if (x.margins()[s] < 1e-3) {
                    break; // a near tie: float32 rounding in another operator order may rightly pick the other
                }
                assertThat(y.tokens()[s]).as("prompt %d step %d", p, s).isEqualTo(x.tokens()[s]);
                assertThat(y.logProbs()[s]).isCloseTo(x.logProbs()[s], within(1e-3));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(plain.greedy().size());
    }

    @Test
    void aRandomCheckpointIsTheSameWhateverTheThreadCount(@TempDir Path dir) throws Exception {
        var config = CheckShape.TINY.config(TensorDtype.F16);
        Path one = RandomCheckpointWriter.write(dir.resolve("one"), config, TensorDtype.F16, 7, 1);
        Path three = RandomCheckpointWriter.write(dir.resolve("three"), config, TensorDtype.F16, 7, 3);
        Path otherSeed = RandomCheckpointWriter.write(dir.resolve("other"), config, TensorDtype.F16, 8, 3);

        byte[] bytes = Files.readAllBytes(one.resolve("model.safetensors"));
        assertThat(Files.readAllBytes(three.resolve("model.safetensors"))).isEqualTo(bytes);
        assertThat(Files.readAllBytes(otherSeed.resolve("model.safetensors"))).isNotEqualTo(bytes);
        assertThat(bytes.length).isGreaterThan((int) RandomCheckpointWriter.parameters(config) * 2);
    }

    @Test
    void theRooflineBandwidthIsTheDatasheetFigureOfTheCardNvidiaSmiNames() {
        assertThat(Bandwidth.forGpu("NVIDIA H100 80GB HBM3").orElseThrow().gigabytesPerSecond())
                .isEqualTo(3350);
        assertThat(Bandwidth.forGpu("NVIDIA H100 PCIe").orElseThrow().gigabytesPerSecond())
                .isEqualTo(2000);
        assertThat(Bandwidth.forGpu("NVIDIA H200").orElseThrow().gigabytesPerSecond())
                .isEqualTo(4800);
        assertThat(Bandwidth.forGpu("NVIDIA A100-SXM4-80GB").orElseThrow().gigabytesPerSecond())
                .isEqualTo(2039);
        assertThat(Bandwidth.forGpu("NVIDIA H100 PCIe").orElseThrow().source()).contains("NVIDIA H100 PCIe");
        assertThat(Bandwidth.forGpu("NVIDIA GeForce RTX 4090")).isEmpty();
        assertThat(CheckOptions.parse(
                                "--work", "w", "--out", "o", "--gpu-name", "NVIDIA H200", "--bandwidth-gbs", "1000")
                        .bandwidth()
                        .orElseThrow()
                        .source())
                .isEqualTo("given with --bandwidth-gbs");
    }

    @Test
    void anUnknownOptionIsRefusedWithTheUsage() {
        assertThatThrownBy(() -> CheckOptions.parse("--work", "w", "--out", "o", "--shape", "70b"))
                .hasMessageContaining("unknown shape '70b'");
        assertThatThrownBy(() -> CheckOptions.parse("--work", "w", "--batch", "1"))
                .hasMessageContaining("unknown option --batch")
                .hasMessageContaining("usage: DeviceCheck");
        assertThatThrownBy(() -> CheckOptions.parse("--shape", "tiny")).hasMessageContaining("--work and --out");
    }
}
