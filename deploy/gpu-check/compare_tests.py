"""Rules of compare.py that need no GPU: run by run.sh --cpu-dry-run (python3 -m unittest)."""

import copy
import unittest

import compare


def run(tokens, log_probs, margins):
    return {"tokens": tokens, "log_probs": log_probs, "margins": margins}


def results(batch_one_decode, batch_32_decode, fraction):
    return {
        "shape": "1b",
        "dtype": "bf16",
        "device": {"requested": "cuda:0", "gpu_name": "NVIDIA H100 80GB HBM3"},
        "build": {"variant": "fused-bf16-v1", "reused": False, "seconds": 10.0, "weights_bytes": 2_500_000_000,
                  "operators": ["com.microsoft.GroupQueryAttention"]},
        "checkpoint": {"parameters": 1_235_814_400},
        "kv_cache": {"checked": True, "allocator": "Cuda", "on_device": True},
        "workload": {"prompt_length": 128, "decode_steps": 64, "score_continuation": 2,
                     "score_sequences": [[1, 2, 3, 4]]},
        "rates": [
            {"batch": 1, "prefill_tokens_per_second": 1.0, "decode_tokens_per_second": batch_one_decode,
             "scoring_requests_per_second": 1.0},
            {"batch": 32, "prefill_tokens_per_second": 1.0, "decode_tokens_per_second": batch_32_decode,
             "scoring_requests_per_second": 1.0},
        ],
        "roofline": {"weights_bytes_per_step": 2_471_628_800, "bandwidth_gbs": 3350.0, "bandwidth_source": "test",
                     "tokens_per_second": 1355.4, "measured_tokens_per_second": batch_one_decode,
                     "fraction": fraction},
        "scoring": {"log_probs": [-11.0, -12.0]},
        "greedy": [{"prompt": [1, 2], **run([5, 6], [-1.0, -2.0], [1.0, 1.0])}],
    }


def reference(batch_32_decode, greedy):
    rate = {"prefill_tokens_per_second": 1.0, "generate_tokens_per_second": 1.0, "scoring_requests_per_second": 1.0}
    return {
        "rates": [{"batch": 1, "decode_tokens_per_second": 100.0, **rate},
                  {"batch": 32, "decode_tokens_per_second": batch_32_decode, **rate}],
        "greedy": greedy,
        "scoring": [-11.01, -12.02],
    }


class CompareRules(unittest.TestCase):

    def test_tokens_that_agree_within_tolerance_pass(self):
        rows = compare.compare_greedy([run([1, 2, 3], [-1.0, -2.0, -3.0], [1, 1, 1])],
                                      [run([1, 2, 3], [-1.04, -2.0, -3.09], [1, 1, 1])], 0.1, 8)
        self.assertEqual(rows[0]["verdict"], "pass")
        self.assertEqual(rows[0]["steps_compared"], 3)
        self.assertAlmostEqual(rows[0]["max_logprob_diff"], 0.09)

    def test_a_different_token_at_a_near_tie_stops_the_comparison_without_failing(self):
        rows = compare.compare_greedy([run([1, 2, 3], [-1.0, -2.0, -3.0], [1, 0.15, 1])],
                                      [run([1, 7, 3], [-1.0, -2.0, -3.0], [1, 0.5, 1])], 0.1, 8)
        self.assertEqual(rows[0]["verdict"], "near tie at step 1")
        self.assertEqual(rows[0]["steps_compared"], 1)

    def test_a_different_token_with_a_clear_margin_fails(self):
        rows = compare.compare_greedy([run([1, 2], [-1.0, -2.0], [1, 0.5])],
                                      [run([1, 7], [-1.0, -2.0], [1, 0.5])], 0.1, 8)
        self.assertTrue(rows[0]["verdict"].startswith("FAIL: tokens differ at step 1"))

    def test_a_log_prob_beyond_tolerance_fails(self):
        rows = compare.compare_greedy([run([1], [-1.0], [1])], [run([1], [-1.2], [1])], 0.1, 8)
        self.assertTrue(rows[0]["verdict"].startswith("FAIL: log-prob differs"))

    def test_the_targets_pass_at_80_percent_of_the_roofline_and_twice_transformers(self):
        failures = []
        lines = compare.report_one(results(1100.0, 4000.0, 0.81), reference(2000.0, [run([5, 6], [-1.0, -2.0], [1, 1])]),
                                   failures)
        self.assertEqual(failures, [])
        self.assertIn("- batch-32 decode ≥ 2× transformers: 2.00×, PASS", lines)

    def test_each_missed_target_is_a_failure(self):
        failures = []
        data = results(800.0, 3000.0, 0.59)
        data["kv_cache"] = {"checked": True, "allocator": "Cpu", "on_device": False}
        compare.report_one(data, reference(2000.0, [run([5, 9], [-1.0, -2.0], [1, 1])]), failures)
        self.assertEqual(len(failures), 4, failures)

    def test_greedy_tokens_never_compared_are_inconclusive_not_passed(self):
        failures = []
        lines = compare.report_one(results(1100.0, 4000.0, 0.81),
                                   reference(2000.0, [run([7, 6], [-1.0, -2.0], [0.01, 1])]), failures)
        self.assertEqual(failures, [])
        self.assertTrue(any("INCONCLUSIVE" in line and "0 of 8 steps compared" in line for line in lines), lines)

    def test_without_transformers_nothing_is_checked_against_it(self):
        failures = []
        lines = compare.report_one(results(1100.0, 4000.0, 0.81), None, failures)
        self.assertEqual(failures, [])
        self.assertIn("- batch-32 decode ≥ 2× transformers: not measured (no transformers)", lines)

    def test_a_results_file_of_another_kit_version_is_refused(self):
        import json
        import os
        import tempfile
        data = copy.deepcopy(results(1.0, 1.0, None))
        data["kit_version"] = 99
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "r.json")
            with open(path, "w") as f:
                json.dump(data, f)
            self.assertEqual(compare.main([path, "--report", os.path.join(d, "r.md")]), 2)


if __name__ == "__main__":
    unittest.main()
