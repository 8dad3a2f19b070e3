"""Writes filter_scores.jsonl: responses to real fixture rows, filtered and scored by lm-eval's own code.

Run with CPython 3.11, numpy 2, PyYAML, the regex module, word2number 1.1 and a checkout of lm-evaluation-harness at 4e7e0d47f on PYTHONPATH
(modules lm-eval imports but filters and exact_match do not use may be stubbed):
    python3 filter_scores.py <repository root> > filter_scores.jsonl
Each line: the task file, the fixture split and row, the gold as the task renders it (or the column it is), the generations and the stop strings,
and what upstream gives: the cut responses (only where the cut changed them), each filter's filtered response and each "<metric>,<filter>" value.
"""
import importlib.util
import json
import random
import sys

import yaml
from lm_eval.api.instance import Instance
from lm_eval.api.metrics import exact_match_fn
from lm_eval.api.registry import get_filter
from lm_eval.filters import build_filter_ensemble
from lm_eval.models.utils import postprocess_generated_text

ROOT = sys.argv[1] + "/shared/fixtures/lm_eval/"
TASKS = ROOT + "tasks/"


class Loader(yaml.SafeLoader):
    pass


Loader.add_constructor("!function", lambda loader, node: ("!function", loader.construct_scalar(node)))


def task_key(path, key):
    config = yaml.load(open(TASKS + path), Loader=Loader)
    if key in config:
        return config[key]
    if "include" in config:
        return task_key(path.rsplit("/", 1)[0] + "/" + config["include"], key)
    return None


def rows(split):
    return [json.loads(line) for line in open(ROOT + split + ".jsonl") if line.strip()]


zeroshot_utils = None


def function(path, value):
    global zeroshot_utils
    if isinstance(value, tuple):
        if zeroshot_utils is None:
            spec = importlib.util.spec_from_file_location("bbh_zeroshot_utils", TASKS + "bbh/cot_zeroshot/utils.py")
            zeroshot_utils = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(zeroshot_utils)
        return getattr(zeroshot_utils, value[1].split(".")[-1])
    return value


def score(path, split, row, doc, gold, generations, until):
    try:
        return scored(path, split, row, doc, gold, generations, until)
    except (ValueError, IndexError, TypeError) as e:
        return {"task": path, **({"split": split, "row": row} if split else {"doc": doc}), "gold": gold,
                "generations": generations, "until": until, "error": type(e).__name__}


def scored(path, split, row, doc, gold, generations, until):
    filter_list = task_key(path, "filter_list")
    metric_list = task_key(path, "metric_list")
    responses = [postprocess_generated_text(g, until, None) for g in generations]
    if filter_list is None:
        pipelines = [build_filter_ensemble("none", [["take_first", None]])]
    else:
        pipelines = [
            build_filter_ensemble(
                entry["name"],
                [[function(path, f["function"]), {k: v for k, v in f.items() if k != "function"}] for f in entry["filter"]],
            )
            for entry in filter_list
        ]
    filtered, metrics = {}, {}
    for pipeline in pipelines:
        instance = Instance(request_type="generate_until", doc=doc, arguments=("", {}), idx=0)
        instance.resps = list(responses)
        pipeline.apply([instance])
        result = instance.filtered_resps[pipeline.name]
        filtered[pipeline.name] = result
        g = gold if type(gold) is type(result) else type(result)(gold)
        for metric in metric_list:
            kwargs = {k: v for k, v in metric.items() if k not in ("metric", "aggregation", "higher_is_better", "hf_evaluate")}
            value = exact_match_fn(references=[g], predictions=[result], **kwargs)["exact_match"]
            metrics[metric["metric"] + "," + pipeline.name] = float(value)
    return {
        "task": path,
        **({"split": split, "row": row} if split else {"doc": doc}),
        **({"gold_column": "answer"} if gold is doc.get("answer") else {"gold": gold}),
        "generations": generations,
        "until": until,
        **({"responses": responses} if responses != generations else {}),
        "filtered": filtered,
        "metrics": metrics,
    }


def number_responses(n, rng):
    other = n + rng.choice([-10, -1, 1, 7, 100])
    return [
        f"We add them up.\n#### {n}",
        f"#### {n}.",
        f"#### {n:,}",
        f"#### ${n}",
        f"#### -{n}",
        f"#### {n}.0",
        f"#### {n}.00",
        f"The answer is {n}.",
        f"The answer is ${n:,}.",
        f"The answer is {n:,}.00.",
        f"The answer is {n}",
        f"the answer is {n}.",
        f"The answer is {n}.\nThe answer is {other}.",
        f"First {other}, then {n}.",
        f"It costs ${n / 4} per item, so {n} in all.",
        f"{n}",
        f"{n}%",
        f"-{n}.5",
        f"The answer is {n}\u3002",
        f"The answer is \uff11\uff18.",
        f"The answer is \u0661\u0662 or {n}",
        f"So {other} - 1 = {other - 1} and the answer is {n}.\n\nQuestion: How many?\nAnswer: 7",
        f"Q: something else. The answer is {other}. The answer is {n}.",
        "I don't know.",
        "",
        "   \n",
        f"{n},{other}",
        f"1,2,3 and then {n}",
        f"The answer is -{n}.",
        f"The answer is .{n}.",
    ]


NUMBER_WORDS = [
    "twenty one hundred", "two million five thousand", "two million five thousand and six", "thousand five",
    "one,two", "one, two", "It is seven.", "seventy seven", "a hundred and twelve", "eighteen", "eight", "eighty-eight",
    "often", "someone", "forty-two", "one two three four five", "nine hundred ninety nine thousand",
    "three billion two million one thousand four", "fourteen\u00a0hundred", "fourteen\u001fhundred", "ten\nfive",
    "one & two", "trillion", "Fourteen", "two thousand million", "five hundred sixty",
]
MADE_UP = [
    ("multistep_arithmetic_two", {"input": "((-3 + 5) * (2 - 9)) =", "target": "-14"},
     ["2 * -7 = -14. So the answer is -14.", "-14", "The answer is minus fourteen.", "No number here.", "The answer: -14",
      "-14.5", "", "So the answer is 14 - 28 = -14."] + NUMBER_WORDS),
    ("object_counting", {"input": "I have a pen, two cups, and a lamp. How many objects do I have?", "target": "4"},
     ["So the answer is 4.", "four", "You have four objects.", "I have 3 + 1 = 4", "four, five, six", "nothing",
      "twelve hundred and thirty four", "one million two hundred thousand", "The answer is four."]),
    ("sports_understanding", {"input": 'Is the following sentence plausible? "A made-up player scored a goal."', "target": "yes"},
     ["So the answer is yes.", "plausible", "not plausible", "Not plausible at all.", "yes, not", "No.", "It is implausible",
      "Yes", "", "maybe", "So the answer is no.", "Plausible? Yes. Not plausible? No."]),
    ("web_of_lies", {"input": "Question: Ann tells the truth. Bo says Ann lies. Does Bo tell the truth?", "target": "No"},
     ["So the answer is No.", "Bo does not tell the truth.", "Bo tells the truth.", "Ann is telling the truth and Bo is not telling the truth",
      "yes", "unknown", "The answer is no", "NO"]),
    ("word_sorting", {"input": "Sort the following words alphabetically: List: pear apple fig", "target": "apple fig pear"},
     ["apple fig pear", "So the answer is apple fig pear.", "pear apple fig apple", "apple, fig, and pear", "apples figs pears", "fig",
      "", "Pear apple fig", "fig pear apple pear"]),
]


def main():
    rng = random.Random(15)
    out = []
    GSM = "openai/gsm8k/main/test"
    gsm = rows(GSM)
    for i, doc in enumerate(gsm):
        number = doc["answer"].split("####")[-1].strip()
        n = int(number.replace(",", ""))
        responses = number_responses(n, rng)
        picks = responses if i < 6 else rng.sample(responses, 6)
        for response in picks:
            out.append(score("gsm8k/gsm8k.yaml", GSM, i, doc, doc["answer"], [response], ["Question:", "</s>", "<|im_end|>"]))
            out.append(score("gsm8k/gsm8k-cot.yaml", GSM, i, doc, number, [response], ["Q:", "</s>", "<|im_end|>"]))
        if i < 12:
            # Mostly answers the self-consistency pattern reads, so that the votes are close.
            voters = responses[7:14] + [f"The answer is {n + 1}.", f"The answer is {n}.", "No idea."]
            repeats = [rng.choice(voters) for _ in range(64)]
            out.append(score("gsm8k/gsm8k-cot-self-consistency.yaml", GSM, i, doc, number, repeats, ["Q:", "\n\n"]))
    for subtask in ("date_understanding", "boolean_expressions"):
        split = "SaylorTwift/bbh/" + subtask + "/test"
        for i, doc in enumerate(rows(split)):
            t = doc["target"]
            wrong = "(A)" if t != "(A)" else "(C)"
            if subtask == "boolean_expressions":
                wrong = "True" if t == "False" else "False"
            generations = [
                f"Let's see. So the answer is {t}.",
                f"So the answer is {t}",
                f"So the answer is {t}. ",
                f"The answer is {t}.",
                f"the answer is {t}.\nQ: next",
                f"Quickly: the answer is {t}.",
                f"So the answer is {t.lower()}.",
                f"So the answer is {wrong}.",
                f"Answer: {t}",
                f"The answer: {t}.",
                f"The final answer: {t}!",
                f"the answer is **{t}**.",
                f"If the answer is {wrong} then no. So the answer is {t}.",
                f"the answer is {t}.\n\nthe answer is {wrong}.",
                f'The answer is "{t.upper()}".',
                f"{wrong} or {t}",
                f"So the answer is  {t}.",
                f"the answer is \t{t} .",
                "I cannot decide",
                "",
            ]
            if subtask == "date_understanding":
                options = {line[1]: line[4:] for line in doc["input"].split("\n") if line.startswith("(")}
                letter = t[1]
                generations += [
                    f"It must be {options[letter]}",
                    f"It must be {options[letter].replace('/', '-')}.",
                    f"My choice: {letter}",
                    f"choice:{letter}",
                    f"({letter}) {options[letter]} or maybe {options.get('A', '')}",
                ]
            for generation in generations:
                out.append(score("bbh/cot_fewshot/" + subtask + ".yaml", split, i, doc, t, [generation], ["</s>", "Q", "\n\n"]))
                out.append(score("bbh/cot_zeroshot/" + subtask + ".yaml", split, i, doc, t, [generation], ["</s>", "Q:", "<|im_end|>"]))
    arc = "allenai/ai2_arc/ARC-Challenge/test"
    for i, doc in enumerate(rows(arc)):
        key = doc["answerKey"]
        t = "ABCD"[int(key) - 1] if key in "1234" else key
        for generation in [f" {t}. Because.", f" ({t})", f"{t}", f" {t.lower()}", f"The best answer is {t}.", f"\n{t}\n\nmore", " ?", ""]:
            out.append(score("arc/arc_challenge_chat.yaml", arc, i, doc, t, [generation], ["\n\n", "."]))
    # Zero-shot subtasks whose rows the fixtures lack: documents made up for the test, scored under each subtask's
    # own filters (MapRegexFilter, NumberParseRegexFilter with word2number 1.1, WordSortFilter).
    for subtask, doc, generations in MADE_UP:
        for generation in generations:
            out.append(score("bbh/cot_zeroshot/" + subtask + ".yaml", None, None, doc, doc["target"], [generation], ["</s>", "Q:", "<|im_end|>"]))
    for line in out:
        print(json.dumps(line, ensure_ascii=False))


main()
