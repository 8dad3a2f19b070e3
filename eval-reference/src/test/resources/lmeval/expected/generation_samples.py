"""Writes generation_samples.jsonl: Assay's stored generation records as lm-eval writes their samples lines.

Run with CPython 3.11, numpy 2, PyYAML and a checkout of lm-evaluation-harness at 4e7e0d47f on PYTHONPATH
(the modules evaluation_tracker imports but save_results_samples does not use, datasets and pandas, may be stubbed):
    python3 generation_samples.py <repository root> generation_records.jsonl > generation_samples.jsonl
Each input line is a stored document ({"record", "scores"}). The example dict is built with the fields and the order
of lm-eval's evaluator (its log_samples branch): the doc, the target from the task file's doc_to_target, the one
request (context, the task's generation_kwargs after TaskConfig.__post_init__), the responses, the filter's result,
the metric values process_results returns (exact_match as numpy's mean gives it; IFEval's four values in its
process_results' order, taken from the record); then lm-eval's EvaluationTracker.save_results_samples writes it.
"""
import copy
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import yaml
from lm_eval.config.task import TaskConfig
from lm_eval.loggers.evaluation_tracker import EvaluationTracker
from lm_eval.utils import handle_non_serializable, hash_string

TASKS = sys.argv[1] + "/shared/fixtures/lm_eval/tasks/"
FILES = {"gsm8k": "gsm8k/gsm8k.yaml", "ifeval": "ifeval/ifeval.yaml"}
IFEVAL_METRICS = ["prompt_level_strict_acc", "inst_level_strict_acc", "prompt_level_loose_acc", "inst_level_loose_acc"]


class Loader(yaml.SafeLoader):
    pass


Loader.add_constructor("!function", lambda loader, node: "!function " + loader.construct_scalar(node))


def target_of(config, doc):
    target = config["doc_to_target"]
    if isinstance(target, int):
        return target
    assert target.startswith("{{") and target.endswith("}}"), target
    return doc[target[2:-2]]


stored = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
by_task = {}
for line in stored:
    by_task.setdefault(line["record"]["task"], []).append(line)

for task, lines in by_task.items():
    config = yaml.load(open(TASKS + FILES[task], encoding="utf-8"), Loader=Loader)
    task_config = TaskConfig(
        task=task,
        output_type=config["output_type"],
        generation_kwargs=copy.deepcopy(config.get("generation_kwargs")),
    )
    filters = [f["name"] for f in config["filter_list"]] if "filter_list" in config else ["none"]
    samples = []
    for filter_key in filters:
        for line in lines:
            record, scores = line["record"], line["scores"]
            doc = json.loads(record["doc"])
            target = target_of(config, doc)
            if "metrics" in record:
                metrics = {name: record["metrics"][name] for name in IFEVAL_METRICS}
            else:
                metrics = {m["metric"]: np.mean([scores[m["metric"] + "," + filter_key]]) for m in config["metric_list"]}
            example = {
                "doc_id": record["doc_id"],
                "doc": doc,
                "target": target,
                "arguments": [(record["context"], copy.deepcopy(task_config.generation_kwargs))],
                "resps": [record["resps"]],
                "filtered_resps": [record["filtered_resps"][filter_key]],
                "filter": filter_key,
                "metrics": list(metrics.keys()),
                "doc_hash": hash_string(
                    json.dumps(doc, indent=2, default=handle_non_serializable, ensure_ascii=False)
                ),
                "prompt_hash": hash_string(record["context"]),
                "target_hash": hash_string(str(target)),
            }
            example.update(metrics)
            samples.append(example)
    with tempfile.TemporaryDirectory() as out:
        tracker = EvaluationTracker(output_path=out)
        tracker.date_id = "run"  # set by save_results_aggregated, which runs first in lm-eval's CLI
        tracker.save_results_samples(task_name=task, samples=samples)
        for written in Path(out).rglob(f"samples_{task}_*.jsonl"):
            sys.stdout.write(written.read_text(encoding="utf-8"))
