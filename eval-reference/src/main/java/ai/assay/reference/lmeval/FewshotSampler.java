package ai.assay.reference.lmeval;

import ai.assay.reference.python.PyRandom;
import ai.assay.reference.python.PyValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * lm-eval's few-shot examples as {@code ConfigurableTask.fewshot_context} writes them without a chat template
 * ({@code lm_eval/api/samplers.py}, {@code build_qa_turn}), at commit 4e7e0d47f.
 *
 * <p>Which examples: the evaluated document is passed to the sampler, to be left out, only when
 * {@code fewshot_config.split} (by default {@code fewshot_split}) equals {@code test_split}, which includes both
 * being unset (HellaSwag, WinoGrande). Then the {@code default} sampler draws n+1 with
 * {@code random.Random.sample}, drops the documents equal to the evaluated one and keeps the first n, and
 * {@code first_n} takes the first n of the pool without it. Otherwise the {@code default} sampler draws n and
 * {@code first_n} takes the pool's first n, as they are, even if the evaluated document is among them. One
 * generator serves the whole task, consumed document by document in order.
 *
 * <p>How each example is written: its text; then, if it has a target (not None, not ""), the target delimiter
 * unless a {@code gen_prefix} needs none, the target ({@code choices[target]} for an index when the examples have
 * choices, the first of a list), preceded by {@code gen_prefix} and a space where neither has whitespace at the
 * join, and the few-shot delimiter; without a target only the text and the {@code gen_prefix}. The fields,
 * delimiters and prefix are {@code fewshot_config}'s, which default to the task's.
 */
final class FewshotSampler {

    private final LmEvalTask task;
    private final List<Doc> pool;
    private final PyRandom random;
    private final boolean leaveOutEvalDoc;

    FewshotSampler(LmEvalTask task, List<Doc> pool, PyRandom random) {
        this.task = task;
        this.pool = pool;
        this.random = random;
        TaskConfig config = task.config();
        this.leaveOutEvalDoc = Objects.equals(config.fewshotConfig().split(), config.testSplit());
    }

    /** The examples for {@code doc}, written out and joined, as they precede its text. */
    String context(Doc doc, int numFewshot) {
        StringBuilder examples = new StringBuilder();
        for (PromptTurn turn : turns(doc, numFewshot)) {
            examples.append(turn.text());
        }
        return examples.toString();
    }

    /**
     * The examples for {@code doc} as {@code build_qa_turn} makes them: per example a user turn (its text and the
     * target delimiter) and, when it has a target or a {@code gen_prefix}, an assistant turn (the answer and the
     * few-shot delimiter, or the prefix alone).
     */
    List<PromptTurn> turns(Doc doc, int numFewshot) {
        List<PromptTurn> turns = new ArrayList<>();
        for (Doc example : sample(numFewshot, leaveOutEvalDoc ? doc : null)) {
            turns.addAll(turn(example));
        }
        return turns;
    }

    private List<PromptTurn> turn(Doc example) {
        TaskConfig.FewshotConfig config = task.config().fewshotConfig();
        Object text = task.fewshotDocToText(example);
        List<String> choices = task.fewshotDocToChoice(example);
        Object target = task.fewshotDocToTarget(example);
        String genPrefix = task.fewshotGenPrefix(example);
        String question;
        if (text instanceof Long index && choices != null) {
            // A multiple-input example (WinoGrande): its text is the chosen context, and it has no choices.
            question = choices.get(Math.toIntExact(index));
            choices = null;
        } else if (text instanceof String s) {
            question = s;
        } else {
            throw new IllegalStateException(
                    "%s: a few-shot example's text is not a string: %s".formatted(task.name(), PyValues.repr(text)));
        }
        boolean hasAnswer = target != null && !"".equals(target);
        boolean hasPrefix = genPrefix != null && !genPrefix.isEmpty();
        boolean delimited =
                (hasAnswer && !hasPrefix) || (hasPrefix && PromptText.requiresDelimiter(question, genPrefix));
        PromptTurn user = new PromptTurn(PromptMessage.USER, question, delimited ? config.targetDelimiter() : "");
        if (hasAnswer) {
            String answer = PromptText.maybeDelimit(genPrefix, answer(target, choices), " ");
            return List.of(user, new PromptTurn(PromptMessage.ASSISTANT, answer, config.fewshotDelimiter()));
        } else if (hasPrefix) {
            return List.of(user, new PromptTurn(PromptMessage.ASSISTANT, genPrefix, ""));
        }
        return List.of(user);
    }

    private String answer(Object target, List<String> choices) {
        if (choices != null && !choices.isEmpty() && target instanceof Long index) {
            return choices.get(Math.toIntExact(index));
        }
        Object answer = target instanceof List<?> list ? list.get(0) : target;
        if (!(answer instanceof String s)) {
            throw new IllegalStateException("%s: a few-shot example's target is not a string: %s"
                    .formatted(task.name(), PyValues.repr(target)));
        }
        return s;
    }

    private List<Doc> sample(int n, Doc evalDoc) {
        if (n == 0) {
            return List.of();
        }
        if ("first_n".equals(task.config().sampler())) {
            List<Doc> candidates = evalDoc == null ? pool : without(pool, evalDoc);
            if (n > candidates.size()) {
                throw tooFew(n, candidates.size());
            }
            return candidates.subList(0, n);
        }
        if (evalDoc == null) {
            if (n > pool.size()) {
                throw tooFew(n, pool.size());
            }
            return random.sample(pool, n);
        }
        if (n + 1 > pool.size()) {
            throw tooFew(n + 1, pool.size());
        }
        List<Doc> drawn = without(random.sample(pool, n + 1), evalDoc);
        if (drawn.size() < n) {
            throw new IllegalStateException("%s: %d few-shot examples asked, but only %d of the %d drawn differ from"
                            .formatted(task.name(), n, drawn.size(), n + 1)
                    + " the evaluated document");
        }
        return drawn.subList(0, n);
    }

    private static List<Doc> without(List<Doc> docs, Doc evalDoc) {
        List<Doc> kept = new ArrayList<>(docs.size());
        for (Doc candidate : docs) {
            if (!candidate.sameAs(evalDoc)) {
                kept.add(candidate);
            }
        }
        return kept;
    }

    private IllegalArgumentException tooFew(int asked, int available) {
        TaskConfig config = task.config();
        String source = config.fewshotFromSamples()
                ? "fewshot_config.samples has"
                : "split '%s' has".formatted(config.fewshotSourceSplit());
        return new IllegalArgumentException(
                "%s: %d few-shot examples asked, but %s only %d".formatted(task.name(), asked, source, available));
    }
}
