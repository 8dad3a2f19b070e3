#!/usr/bin/env python3
"""Compares the device check's results (DeviceCheck's results.json) with transformers on the same weights.

For each results file: loads the random checkpoint the check wrote with transformers' AutoModelForCausalLM on the
same device, runs greedy `generate` on the same fixed prompts (token ids: the checkpoints have no tokenizer) and at
the same batch sizes, a prefill and a scoring pass over the same sequences, and writes a markdown report with both
engines side by side, the batch-1 decode roofline fraction, the batch-32 decode ratio and pass/fail against the
targets of issue 19 (batch-1 decode >= 80% of the bandwidth roofline, batch-32 decode >= 2x transformers).

Where torch or transformers cannot be imported (the CPU dry run's machine), it says so and reports the engine's
numbers alone. Exit status: 0 when every check that could be made passed, 1 when one failed, 2 for unreadable input.
Python 3 standard library only, plus torch and transformers when present.
"""

import argparse
import datetime
import json
import math
import os
import sys
import time

KIT_VERSION = 1

# How far the two engines' log-probabilities of the same greedy token may differ. Both compute the logits in the
# checkpoint's half type with float32 accumulation, but in different operator orders (ORT's fused
# GroupQueryAttention and SkipSimplifiedLayerNormalization against PyTorch's SDPA and separate norms), so they differ
# by rounding that accumulates over the layers. fp16 keeps 11 significant bits (relative rounding 2^-11, about 5e-4);
# over 16-32 layers and logits of a few units the differences seen between half-precision ONNX Runtime and PyTorch
# stay within a few hundredths, hence 0.05. bf16 keeps 8 bits, 8 times coarser: 0.1 (and transformers' bf16 logits
# are themselves rounded to 8 bits before the log-softmax, about 0.02 on a logit of 5). Float32 graphs (the CPU dry
# run) agree to rounding: 1e-3.
TOLERANCE = {"fp16": 0.05, "bf16": 0.1, "fp32": 1e-3}

# Greedy tokens must agree for this many steps per prompt, unless the two best tokens are a near tie before that:
# where either engine's top-2 margin is within twice the tolerance, rounding within tolerance may rightly swap them,
# and the prompt is compared up to there.
AGREE_STEPS = 8

TARGET_ROOFLINE_FRACTION = 0.8
TARGET_BATCH = 32
TARGET_RATIO = 2.0


def load_results(path):
    with open(path, encoding="utf-8") as f:
        results = json.load(f)
    if results.get("kit_version") != KIT_VERSION:
        raise ValueError(f"{path}: kit_version {results.get('kit_version')}, this script reads {KIT_VERSION}")
    return results


def compute_type(results):
    """The type the engine's graph computed in: fp32 for the float32 graphs, else the checkpoint's half type."""
    return "fp32" if "fp32" in results["build"]["variant"] else results["dtype"]


def import_transformers():
    """(torch, transformers) or (None, reason)."""
    try:
        import torch  # noqa: PLC0415
        import transformers  # noqa: PLC0415
    except ImportError as e:
        return None, f"{e.name or e} is not installed"
    return (torch, transformers), None


class TransformersRun:
    """transformers' side of one results file: the same weights, prompts and batches on the same device."""

    def __init__(self, modules, results):
        self.torch, self.transformers = modules
        self.results = results
        torch = self.torch
        if results["device"]["requested"].startswith("cuda"):
            if not torch.cuda.is_available():
                raise RuntimeError("the engine ran on CUDA but torch sees no CUDA device")
            self.device = torch.device(results["device"]["requested"])
        else:
            self.device = torch.device("cpu")
        self.dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[compute_type(results)]
        started = time.perf_counter()
        directory = results["checkpoint"]["directory"]
        auto = self.transformers.AutoModelForCausalLM
        try:
            # straight onto the device where accelerate is installed
            self.model = auto.from_pretrained(directory, torch_dtype=self.dtype, device_map=str(self.device))
        except (ImportError, ValueError):
            self.model = auto.from_pretrained(directory, torch_dtype=self.dtype).to(self.device)
        self.model.eval()
        # The random checkpoints name no end-of-sequence token, and the engine stops at none; LlamaConfig's defaults
        # (eos 2) would otherwise end a generation early or, with min_new_tokens, mask token 2 out of the choice.
        self.model.generation_config.eos_token_id = None
        self.model.generation_config.bos_token_id = None
        self.load_seconds = time.perf_counter() - started

    def sync(self):
        if self.device.type == "cuda":
            self.torch.cuda.synchronize(self.device)

    def ids(self, rows):
        return self.torch.tensor(rows, dtype=self.torch.long, device=self.device)

    def generate(self, input_ids, steps, **extra):
        return self.model.generate(
            input_ids=input_ids,
            attention_mask=self.torch.ones_like(input_ids),
            max_new_tokens=steps,
            do_sample=False,
            num_beams=1,
            pad_token_id=0,
            **extra,
        )

    def timed(self, fn, repetitions):
        """The best of `repetitions` timed calls after one untimed warm-up."""
        with self.torch.inference_mode():
            fn()
            best = math.inf
            for _ in range(repetitions):
                self.sync()
                started = time.perf_counter()
                fn()
                self.sync()
                best = min(best, time.perf_counter() - started)
        return best

    def forward(self, input_ids, last_only):
        kwargs = {"attention_mask": self.torch.ones_like(input_ids), "use_cache": last_only}
        if last_only:
            # Only the last position's logits, as a prefill needs (logits_to_keep in transformers >= 4.50).
            try:
                return self.model(input_ids=input_ids, logits_to_keep=1, **kwargs)
            except TypeError:
                pass
        return self.model(input_ids=input_ids, **kwargs)

    def rates(self):
        workload = self.results["workload"]
        rows = []
        for rate in self.results["rates"]:
            batch = rate["batch"]
            prompts = self.ids(workload["rate_prompts"][:batch])
            sequences = self.ids(workload["score_sequences"][:batch])
            steps = workload["decode_steps"]
            prefill = self.timed(lambda: self.forward(prompts, True), 3)
            generate = self.timed(lambda: self.generate(prompts, steps), 2)
            score = self.timed(lambda: self.score(sequences, workload["score_continuation"]), 3)
            rows.append(
                {
                    "batch": batch,
                    "prefill_tokens_per_second": batch * prompts.shape[1] / prefill,
                    # generate's time less a prefill's: the decode steps alone, as the engine's rate counts them
                    "decode_tokens_per_second": batch * steps / max(generate - prefill, 1e-9),
                    "generate_tokens_per_second": batch * steps / generate,
                    "scoring_requests_per_second": batch / score,
                }
            )
            print(f"[compare] transformers batch {batch}: {rows[-1]}", file=sys.stderr)
        return rows

    def score(self, sequences, continuation):
        logits = self.forward(sequences, False).logits[:, -continuation - 1 : -1, :].float()
        logprobs = self.torch.log_softmax(logits, dim=-1)
        targets = sequences[:, -continuation:]
        return logprobs.gather(-1, targets.unsqueeze(-1)).squeeze(-1)

    def scoring_check(self):
        workload = self.results["workload"]
        sequence = self.ids(workload["score_sequences"][:1])
        with self.torch.inference_mode():
            return [float(x) for x in self.score(sequence, workload["score_continuation"])[0]]

    def greedy(self):
        runs = []
        with self.torch.inference_mode():
            for run in self.results["greedy"]:
                steps = len(run["tokens"])
                prompt = self.ids([run["prompt"]])
                try:
                    out = self.generate(prompt, steps, output_logits=True, return_dict_in_generate=True)
                    step_logits = out.logits
                except (TypeError, ValueError):
                    # transformers < 4.38 has no output_logits; greedy search applies no processor to the scores
                    out = self.generate(prompt, steps, output_scores=True, return_dict_in_generate=True)
                    step_logits = out.scores
                tokens = [int(t) for t in out.sequences[0, prompt.shape[1] :]]
                logprobs, margins = [], []
                for s, logits in enumerate(step_logits):
                    lp = self.torch.log_softmax(logits[0].float(), dim=-1)
                    top = self.torch.topk(lp, 2).values
                    logprobs.append(float(lp[tokens[s]]))
                    margins.append(float(top[0] - top[1]))
                runs.append({"tokens": tokens, "log_probs": logprobs, "margins": margins})
        return runs


def compare_greedy(engine_runs, reference_runs, tolerance, agree_steps):
    """Per prompt: how many steps agreed, the largest log-prob difference, and the verdict."""
    rows = []
    for p, (e, t) in enumerate(zip(engine_runs, reference_runs)):
        steps = min(agree_steps, len(e["tokens"]), len(t["tokens"]))
        worst = 0.0
        verdict = "pass"
        compared = 0
        for s in range(steps):
            if e["tokens"][s] != t["tokens"][s]:
                if min(e["margins"][s], t["margins"][s]) <= 2 * tolerance:
                    verdict = f"near tie at step {s}"
                else:
                    verdict = f"FAIL: tokens differ at step {s} ({e['tokens'][s]} vs {t['tokens'][s]})"
                break
            diff = abs(e["log_probs"][s] - t["log_probs"][s])
            worst = max(worst, diff)
            compared += 1
            if diff > tolerance:
                verdict = f"FAIL: log-prob differs by {diff:.4f} at step {s}"
                break
        rows.append({"prompt": p, "steps_compared": compared, "max_logprob_diff": worst, "verdict": verdict})
    return rows


def quantity(n, unit=""):
    """1234567 -> '1.23 M', in the largest of G, M, k that keeps it at least 1."""
    for scale, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if n >= scale:
            return f"{n / scale:.2f} {prefix}{unit}"
    return f"{n} {unit}".strip()


def fmt(x, digits=1):
    return "—" if x is None else f"{x:,.{digits}f}"


def verdict(ok):
    return "PASS" if ok else "FAIL"


def report_one(results, reference, failures):
    """Markdown lines for one results file; appends failed checks' names to `failures`."""
    shape, dtype = results["shape"], results["dtype"]
    device = results["device"]
    card = device["gpu_name"] or device["requested"]
    build = results["build"]
    kv = results["kv_cache"]
    lines = [f"## {shape}, {dtype} weights, `{build['variant']}` graph, on {card}", ""]
    lines.append(
        f"Graph `{build['variant']}` ({'reused from the cache' if build['reused'] else 'built'} in "
        f"{build['seconds']:.1f} s; {quantity(build['weights_bytes'], 'B')} of weights, rope tables included; "
        f"{quantity(results['checkpoint']['parameters'])} parameters); operators: "
        + ", ".join(f"`{o}`" for o in build["operators"])
        + "."
    )
    lines.append("")
    if kv["checked"]:
        lines.append(f"KV cache: in `{kv['allocator']}` memory: {verdict(kv['on_device'])}.")
        if not kv["on_device"]:
            failures.append(f"{shape} {dtype}: KV cache not on the device")
    else:
        lines.append("KV cache: not checked (on the CPU the cache is in host memory by design).")
    lines.append("")
    w = results["workload"]
    lines.append(
        f"Prompts of {w['prompt_length']} tokens, {w['decode_steps']} greedy decode steps, scored sequences of "
        f"{len(w['score_sequences'][0])} tokens with the last {w['score_continuation']} scored; each rate the best of "
        "its repetitions after a warm-up."
    )
    lines.append("")
    ref_rates = {r["batch"]: r for r in reference["rates"]} if reference else {}
    header = "| batch | engine prefill tok/s | engine decode tok/s | engine scoring req/s |"
    rule = "|---|---|---|---|"
    if reference:
        header = (
            "| batch | engine prefill tok/s | transformers prefill tok/s | engine decode tok/s | "
            "transformers decode tok/s | engine ÷ transformers (decode) | transformers generate tok/s | "
            "engine scoring req/s | transformers scoring req/s |"
        )
        rule = "|---|---|---|---|---|---|---|---|---|"
    lines += [header, rule]
    for r in results["rates"]:
        b = r["batch"]
        if reference:
            t = ref_rates[b]
            lines.append(
                f"| {b} | {fmt(r['prefill_tokens_per_second'])} | {fmt(t['prefill_tokens_per_second'])} | "
                f"{fmt(r['decode_tokens_per_second'])} | {fmt(t['decode_tokens_per_second'])} | "
                f"{r['decode_tokens_per_second'] / t['decode_tokens_per_second']:.2f} | "
                f"{fmt(t['generate_tokens_per_second'])} | {fmt(r['scoring_requests_per_second'], 2)} | "
                f"{fmt(t['scoring_requests_per_second'], 2)} |"
            )
        else:
            lines.append(
                f"| {b} | {fmt(r['prefill_tokens_per_second'])} | {fmt(r['decode_tokens_per_second'])} | "
                f"{fmt(r['scoring_requests_per_second'], 2)} |"
            )
    lines.append("")

    roof = results["roofline"]
    lines.append(
        f"Batch-1 roofline: {quantity(roof['weights_bytes_per_step'], 'B')} of weights read per decode step; "
        f"bandwidth {fmt(roof['bandwidth_gbs'], 0)} GB/s ({roof['bandwidth_source']}); bound "
        f"{fmt(roof['tokens_per_second'])} tokens/s; measured {fmt(roof['measured_tokens_per_second'])} tokens/s"
        + (f" = {roof['fraction']:.0%} of the bound." if roof["fraction"] is not None else ".")
    )
    lines.append("")

    lines.append("Targets:")
    lines.append("")
    if roof["fraction"] is None:
        why = "no batch-1 measurement" if roof["measured_tokens_per_second"] is None else roof["bandwidth_source"]
        lines.append(f"- batch-1 decode ≥ {TARGET_ROOFLINE_FRACTION:.0%} of the roofline: not measured ({why})")
    else:
        ok = roof["fraction"] >= TARGET_ROOFLINE_FRACTION
        lines.append(
            f"- batch-1 decode ≥ {TARGET_ROOFLINE_FRACTION:.0%} of the roofline: {roof['fraction']:.0%}, {verdict(ok)}"
        )
        if not ok:
            failures.append(f"{shape} {dtype}: batch-1 roofline fraction {roof['fraction']:.0%}")
    engine_32 = next((r for r in results["rates"] if r["batch"] == TARGET_BATCH), None)
    if not reference:
        lines.append(f"- batch-{TARGET_BATCH} decode ≥ {TARGET_RATIO:g}× transformers: not measured (no transformers)")
    elif engine_32 is None:
        lines.append(f"- batch-{TARGET_BATCH} decode ≥ {TARGET_RATIO:g}× transformers: not measured (no batch 32)")
    else:
        ratio = engine_32["decode_tokens_per_second"] / ref_rates[TARGET_BATCH]["decode_tokens_per_second"]
        ok = ratio >= TARGET_RATIO
        lines.append(f"- batch-{TARGET_BATCH} decode ≥ {TARGET_RATIO:g}× transformers: {ratio:.2f}×, {verdict(ok)}")
        if not ok:
            failures.append(f"{shape} {dtype}: batch-{TARGET_BATCH} ratio {ratio:.2f}")

    tolerance = TOLERANCE[compute_type(results)]
    if not reference:
        lines.append("- greedy tokens and log-probs agree with transformers: not checked (no transformers)")
    else:
        rows = compare_greedy(results["greedy"], reference["greedy"], tolerance, AGREE_STEPS)
        failed = [r for r in rows if r["verdict"].startswith("FAIL")]
        scoring = reference["scoring"]
        scoring_diff = max(abs(a - b) for a, b in zip(results["scoring"]["log_probs"], scoring))
        scoring_ok = scoring_diff <= tolerance
        compared = sum(r["steps_compared"] for r in rows)
        # Random weights give flat distributions, so near ties are common; where every prompt met one at its first
        # step the tokens were never compared, and the check says so instead of passing.
        greedy_verdict = verdict(not failed) if compared or failed else "INCONCLUSIVE (a near tie at every first step)"
        lines.append(
            f"- greedy tokens agree for the first {AGREE_STEPS} steps (or up to a near tie) and log-probs within "
            f"{tolerance:g}: {greedy_verdict}, {compared} of {AGREE_STEPS * len(rows)} steps compared; scored "
            f"continuation log-probs within {tolerance:g}: {scoring_diff:.4f}, {verdict(scoring_ok)}"
        )
        if failed:
            failures.append(f"{shape} {dtype}: greedy agreement")
        if not scoring_ok:
            failures.append(f"{shape} {dtype}: scoring log-probs")
        lines += ["", "| prompt | prompt tokens | steps compared | largest log-prob difference | verdict |", "|---|---|---|---|---|"]
        for r in rows:
            lines.append(
                f"| {r['prompt']} | {len(results['greedy'][r['prompt']]['prompt'])} | {r['steps_compared']} | "
                f"{r['max_logprob_diff']:.4f} | {r['verdict']} |"
            )
    lines.append("")
    lines.append(
        "Engine greedy tokens (first steps): "
        + "; ".join(
            " ".join(str(t) for t in run["tokens"][:AGREE_STEPS]) for run in results["greedy"]
        )
    )
    lines.append("")
    return lines


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="DeviceCheck results files")
    parser.add_argument("--report", required=True, help="the markdown report to write")
    parser.add_argument("--reference-out", help="where to write transformers' measurements as JSON")
    parser.add_argument(
        "--part", action="store_true", help="a section of run.sh's report: no title and no date of its own"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="the CPU dry run: without torch, report the engine's numbers alone"
    )
    args = parser.parse_args(argv)

    try:
        all_results = [load_results(p) for p in args.results]
    except (OSError, ValueError, KeyError) as e:
        print(f"[compare] cannot read the results: {e}", file=sys.stderr)
        return 2

    modules, missing = import_transformers()
    failures = []
    lines = []
    if not args.part:
        lines = [
            "# Device check report" + (" (CPU dry run: not GPU numbers)" if args.dry_run else ""),
            "",
            f"Written {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC by deploy/gpu-check/compare.py.",
            "",
        ]
    if modules is None:
        lines += [
            f"transformers was not run: {missing} here, so this report has the engine's numbers only and "
            "checks nothing against transformers.",
            "",
        ]
        print(f"[compare] {missing}: reporting the engine's numbers only", file=sys.stderr)
        if not args.dry_run:
            failures.append(f"no comparison with transformers ({missing})")
    else:
        torch, transformers = modules
        lines += [f"transformers {transformers.__version__}, torch {torch.__version__}.", ""]

    references = {}
    for results in all_results:
        reference = None
        if modules is not None:
            try:
                run = TransformersRun(modules, results)
                reference = {
                    "load_seconds": run.load_seconds,
                    "greedy": run.greedy(),
                    "scoring": run.scoring_check(),
                    "rates": run.rates(),
                }
                del run
                if modules[0].cuda.is_available():
                    modules[0].cuda.empty_cache()
            except Exception as e:  # noqa: BLE001 - report what failed and go on with the next shape
                lines += [f"transformers failed on {results['shape']}: `{type(e).__name__}: {e}`", ""]
                failures.append(f"{results['shape']}: transformers run")
        references[results["shape"]] = reference
        lines += report_one(results, reference, failures)

    lines.append("Result: " + ("every check made passed." if not failures else "FAILED: " + "; ".join(failures)))
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(os.path.abspath(args.report)), exist_ok=True)
    with open(args.report, "w", encoding="utf-8") as f:
        f.write(text)
    if args.reference_out:
        with open(args.reference_out, "w", encoding="utf-8") as f:
            json.dump(references, f, indent=1)
    print(text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
