package ai.assay.worker.judge;

import ai.assay.core.retry.RetryPolicy;
import ai.assay.reference.alpacaeval.judging.OutputOrder;
import ai.assay.reference.alpacaeval.judging.PromptMessage;
import ai.assay.worker.judge.annotator.Annotator;
import ai.assay.worker.judge.annotator.AnnotatorCatalog;
import ai.assay.worker.judge.cache.CachedCompletion;
import ai.assay.worker.judge.cache.JudgeCache;
import ai.assay.worker.judge.cache.JudgeCacheKey;
import ai.assay.worker.judge.client.JudgeClient;
import ai.assay.worker.judge.client.JudgeResponse;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Judges examples with an annotator, as alpaca_eval's pairwise annotator does for one example per prompt: the output
 * order shown to the judge is switched per example by alpaca_eval's seeded rule ({@link OutputOrder}) and the
 * preference mapped back; identical outputs get 1.5 without a call; the answer is parsed by the annotator's parser.
 *
 * <p>Before any call the judge cache is read (one query for the batch); an example whose answer is cached makes no
 * call. The calls are made by a {@link JudgeDispatcher}: up to {@code concurrency} requests in flight, failed ones
 * retried ({@link RetryPolicy}) on 429, 5xx, 408, 409, timeouts and connection errors. This class decides what is
 * asked and makes results of the answers. Answers that parse are cached with their tokens, cost and latency; answers
 * that do not are returned as failures (preference null, raw completion kept) and not cached, so the next run asks
 * again. Results reach the sink one by one on the calling thread as they finish, so the caller can store each.
 *
 * <p>A run ends with an exception when: the stop check throws (the caller's cancellation), the budget is reached
 * ({@link JudgeBudgetExceededException}, after the in-flight requests finished), or the judge keeps failing or refuses
 * the configuration ({@link JudgeException}). Results delivered before stay valid. Either way, nothing of the run goes
 * on after {@code judge} returns or throws: no further request, no retry (see {@link JudgeDispatcher}).
 */
public class JudgeService {

    private static final Logger log = LoggerFactory.getLogger(JudgeService.class);
    private static final double IDENTICAL_OUTPUTS = 1.5;

    private final AnnotatorCatalog catalog;
    private final JudgeCache cache;
    private final JudgePricing pricing;
    private final JudgeDispatcher dispatcher;

    /**
     * @param client opened on first use, so a worker without judge settings starts and fails only when judging
     */
    public JudgeService(
            AnnotatorCatalog catalog,
            JudgeCache cache,
            Supplier<JudgeClient> client,
            JudgePricing pricing,
            RetryPolicy retries,
            int concurrency) {
        this.catalog = catalog;
        this.cache = cache;
        this.pricing = pricing;
        this.dispatcher = new JudgeDispatcher(client, retries, concurrency);
    }

    /** The annotator of that name (see {@link AnnotatorCatalog}). */
    public Annotator annotator(String name) {
        return catalog.resolve(name);
    }

    /**
     * Judges the items; see the class comment.
     *
     * @param sink      receives each result once, on this thread, in the order they finish
     * @param checkStop called between steps; it throws (e.g. {@code TaskContext::checkStop}) to end the run at once
     * @return what was done, when every item has a result
     * @throws JudgeBudgetExceededException when the budget ran out before every item was judged
     * @throws JudgeException when the judge cannot be used or keeps failing
     */
    public JudgeSummary judge(
            Annotator annotator,
            List<JudgeItem> items,
            JudgeBudget budget,
            Consumer<JudgeResult> sink,
            Runnable checkStop) {
        if (budget.maxCostUsd() != null && !pricing.knows(annotator)) {
            throw new JudgeException("a judge budget in dollars needs a price for judge model " + annotator.model()
                    + ": set assay.judge.prices.[" + annotator.model() + "] or the annotator's price_per_token");
        }
        Run run = new Run(annotator, budget, sink);
        Map<String, List<Shown>> toCall = new LinkedHashMap<>();
        for (JudgeItem item : items) {
            Shown shown = Shown.of(annotator, item);
            if (item.referenceOutput().equals(item.modelOutput())) {
                run.deliver(JudgeResult.identical(item, annotator.name(), shown.switched, IDENTICAL_OUTPUTS));
            } else {
                toCall.computeIfAbsent(shown.cacheKey, key -> new ArrayList<>()).add(shown);
            }
        }
        checkStop.run();
        Map<String, CachedCompletion> cached = cache.find(toCall.keySet());
        List<String> hits = new ArrayList<>();
        for (CachedCompletion completion : cached.values()) {
            Double shownPreference = annotator.shownPreference(completion.rawCompletion());
            if (shownPreference == null) {
                continue; // cached before a parser change made it unreadable: ask again and replace it
            }
            hits.add(completion.cacheKey());
            for (Shown shown : toCall.remove(completion.cacheKey())) {
                run.deliver(JudgeResult.cached(
                        shown.item,
                        annotator.name(),
                        shown.switched,
                        OutputOrder.toOriginalOrder(shownPreference, shown.switched),
                        completion));
            }
        }
        if (!hits.isEmpty()) {
            cache.recordHits(hits);
        }
        if (!toCall.isEmpty()) {
            callJudge(run, toCall.values(), checkStop);
        }
        return run.summary(0);
    }

    /** {@link #judge(Annotator, List, JudgeBudget, Consumer, Runnable)} with the annotator of that name. */
    public JudgeSummary judge(
            String annotator,
            List<JudgeItem> items,
            JudgeBudget budget,
            Consumer<JudgeResult> sink,
            Runnable checkStop) {
        return judge(annotator(annotator), items, budget, sink, checkStop);
    }

    private void callJudge(Run run, Collection<List<Shown>> groups, Runnable checkStop) {
        Deque<GroupRequest> pending = new ArrayDeque<>();
        for (List<Shown> group : groups) {
            pending.add(new GroupRequest(run.annotator, group));
        }
        dispatcher.dispatch(
                run.annotator, pending, () -> !run.budget.reached(run.tokens, run.cost), run::record, checkStop);
        if (!pending.isEmpty()) {
            int left =
                    pending.stream().mapToInt(request -> request.group.size()).sum();
            JudgeSummary summary = run.summary(left);
            throw new JudgeBudgetExceededException(
                    "the judge budget (" + run.budget + ") is spent: " + summary.tokens()
                            + " tokens, $" + summary.costUsd().toPlainString() + " in " + summary.calls() + " calls; "
                            + left + " examples were not judged (a later run with a new budget judges them)",
                    summary);
        }
    }

    /** One request for a group of items with the same cache key. */
    private final class GroupRequest implements JudgeDispatcher.Request<Answer> {

        private final Annotator annotator;
        private final List<Shown> group;

        GroupRequest(Annotator annotator, List<Shown> group) {
            this.annotator = annotator;
            this.group = group;
        }

        @Override
        public List<PromptMessage> messages() {
            Shown first = group.get(0);
            return annotator.messages(first.item.instruction(), first.shownFirst, first.shownSecond);
        }

        @Override
        public Answer answered(JudgeResponse response) {
            BigDecimal cost = pricing.cost(annotator, response.promptTokens(), response.completionTokens());
            Double shownPreference = annotator.shownPreference(response.choice());
            if (shownPreference != null) {
                try {
                    cache.put(
                            annotator.name(),
                            annotator.model(),
                            new CachedCompletion(
                                    group.get(0).cacheKey,
                                    response.choice(),
                                    response.promptTokens(),
                                    response.completionTokens(),
                                    cost,
                                    response.latencyMillisAsInt()));
                } catch (RuntimeException e) {
                    log.warn("Could not cache a judge answer (it is still used): {}", e.getMessage());
                }
            }
            List<JudgeResult> results = new ArrayList<>(group.size());
            for (Shown shown : group) {
                results.add(
                        shownPreference == null
                                ? JudgeResult.unreadable(
                                        shown.item,
                                        annotator.name(),
                                        shown.switched,
                                        response,
                                        cost,
                                        annotator.parser().name())
                                : JudgeResult.answered(
                                        shown.item,
                                        annotator.name(),
                                        shown.switched,
                                        OutputOrder.toOriginalOrder(shownPreference, shown.switched),
                                        response,
                                        cost));
            }
            return new Answer(results, response.totalTokens(), cost == null ? BigDecimal.ZERO : cost, 1);
        }

        @Override
        public Answer refused(String reason, Integer status) {
            ObjectNode error = JsonNodeFactory.instance.objectNode();
            ObjectNode detail = error.putObject("error");
            detail.put("message", reason);
            if (status != null) {
                detail.put("status", status);
            }
            List<JudgeResult> results = new ArrayList<>();
            for (Shown shown : group) {
                results.add(JudgeResult.refused(shown.item, annotator.name(), shown.switched, error, reason));
            }
            return new Answer(results, 0, BigDecimal.ZERO, 0);
        }
    }

    /** An item with the outputs in the order shown to the judge. */
    private record Shown(JudgeItem item, boolean switched, String shownFirst, String shownSecond, String cacheKey) {

        static Shown of(Annotator annotator, JudgeItem item) {
            boolean switched = annotator.randomizeOutputOrder() && OutputOrder.isSwitched(item.instruction());
            String first = switched ? item.modelOutput() : item.referenceOutput();
            String second = switched ? item.referenceOutput() : item.modelOutput();
            return new Shown(
                    item,
                    switched,
                    first,
                    second,
                    JudgeCacheKey.of(annotator.configHash(), item.instruction(), first, second));
        }
    }

    /** The results of one request and what it cost. */
    private record Answer(List<JudgeResult> results, long tokens, BigDecimal cost, int calls) {}

    /** The running totals of one {@code judge} call; used on the calling thread only. */
    private static final class Run {

        final Annotator annotator;
        final JudgeBudget budget;
        final Consumer<JudgeResult> sink;
        long tokens;
        BigDecimal cost = BigDecimal.ZERO;
        int calls;
        int judged;
        int failed;
        int cacheHits;

        Run(Annotator annotator, JudgeBudget budget, Consumer<JudgeResult> sink) {
            this.annotator = annotator;
            this.budget = budget;
            this.sink = sink;
        }

        void record(Answer answer) {
            tokens += answer.tokens();
            cost = cost.add(answer.cost());
            calls += answer.calls();
            answer.results().forEach(this::deliver);
        }

        void deliver(JudgeResult result) {
            if (result.failed()) {
                failed++;
            } else {
                judged++;
            }
            if (result.cacheHit()) {
                cacheHits++;
            }
            sink.accept(result);
        }

        JudgeSummary summary(int notJudged) {
            return new JudgeSummary(judged, failed, cacheHits, calls, notJudged, tokens, cost);
        }
    }
}
