package ai.assay.reference.lmeval;

import ai.assay.reference.python.PyRandom;
import ai.assay.reference.python.PyValues;
import java.util.ArrayList;
import java.util.List;

/**
 * lm-eval's few-shot context ({@code ContextSampler.get_context}): draws examples from the few-shot pool and writes
 * each as {@code text + target_delimiter + target + fewshot_delimiter}.
 *
 * <p>The {@code default} sampler draws with {@code random.Random.sample}; when the few-shot split is the evaluated
 * split ({@code fewshot_split == test_split}, which includes both being unset, as for HellaSwag and WinoGrande) it
 * draws one more, drops the evaluated document and keeps the first n. {@code first_n} takes the pool's first n in
 * order. One generator serves the whole task, consumed document by document in order.
 */
final class FewshotSampler {

    private final LmEvalTask task;
    private final List<Doc> pool;
    private final PyRandom random;
    private final boolean drawOneMore;

    FewshotSampler(LmEvalTask task, List<Doc> pool, PyRandom random) {
        this.task = task;
        this.pool = pool;
        this.random = random;
        TaskConfig config = task.config();
        this.drawOneMore = java.util.Objects.equals(config.fewshotSplit(), config.testSplit());
    }

    String context(Doc doc, int numFewshot) {
        int draws = drawOneMore ? numFewshot + 1 : numFewshot;
        List<Doc> drawn = sample(draws);
        List<Doc> selected = new ArrayList<>();
        for (Doc candidate : drawn) {
            if (!candidate.sameAs(doc) && selected.size() < numFewshot) {
                selected.add(candidate);
            }
        }
        TaskConfig config = task.config();
        String prefix = config.genPrefix() == null || config.genPrefix().isEmpty() ? "" : config.genPrefix() + " ";
        StringBuilder examples = new StringBuilder();
        for (Doc example : selected) {
            Object text = task.docToText(example);
            Object target = task.docToTarget(example);
            if (text instanceof String s) {
                examples.append(s);
            } else if (text instanceof Long index) {
                examples.append(task.docToChoice(example).get(Math.toIntExact(index)));
            }
            if (!"".equals(target)) {
                examples.append(config.targetDelimiter()).append(prefix);
                if (target instanceof List<?> list) {
                    examples.append(PyValues.str(list.get(0)));
                } else if (target instanceof String s) {
                    examples.append(s);
                } else {
                    examples.append(task.docToChoice(example).get(Math.toIntExact((Long) target)));
                }
                examples.append(config.fewshotDelimiter());
            }
        }
        return examples.toString();
    }

    private List<Doc> sample(int n) {
        if ("first_n".equals(task.config().sampler())) {
            if (n > pool.size()) {
                throw new IllegalArgumentException("%s: %d few-shot examples asked, but split '%s' has only %d"
                        .formatted(task.name(), n, task.config().fewshotSourceSplit(), pool.size()));
            }
            return pool.subList(0, n);
        }
        if (n > pool.size()) {
            throw new IllegalArgumentException("%s: %d few-shot examples asked, but split '%s' has only %d"
                    .formatted(task.name(), n, task.config().fewshotSourceSplit(), pool.size()));
        }
        return random.sample(pool, n);
    }
}
