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
 * that do not are never cached. Results reach the sink one by one on the calling thread as they finish, so the
 * caller can store each.
 *
 * <p><b>Unparsable answers are asked again within the run</b>, up to {@code unparsableReasks} times. alpaca_eval
 * treats such an answer as a missing preference (the example counts in no win rate) and caches only answers that
 * parse; Assay keeps both rules and only gives the example more chances before it is counted missing:
 * <ul>
 *   <li>A re-ask happens only when the answer gives no preference. An answer that parses is kept and cached exactly
 *       as before, so for every example whose first answer parses the numbers are alpaca_eval's.
 *   <li>A re-ask sends the identical request. Changing it (a nudge in the prompt, a seed, another temperature) would
 *       ask the judge a different question than alpaca_eval asks and could move the preferences it gives. Its cache
 *       key is therefore the first ask's, and that is right: the unparsable answer was never cached, so there is no
 *       entry a re-ask could hit (it does not read the cache at all), and an answer that parses on a re-ask is cached
 *       under the key of the request that produced it, as alpaca_eval would have cached it.
 *   <li>With temperature 0 an identical request may get the same unreadable answer again. Hosted judges are not
 *       deterministic even at temperature 0, and the usual causes of an unreadable answer (an empty or cut-off answer,
 *       missing log-probabilities, a filter or proxy answering instead of the model) are transient, so a re-ask often
 *       cures it; when it does not, the re-asks are bounded by the setting and the example is delivered as a failure
 *       (preference null, the last raw completion kept). The next run asks again.
 *   <li>Every ask is a call: it counts in the run's budget and calls, and a result's tokens and cost are those of all
 *       the asks of its example, so that a later run's budget sees what was spent. The raw completion and latency are
 *       the last answer's.
 * </ul>
 * Re-asks go to the front of the queue, so an example ends soon after its first answer. A re-ask the budget does not
 * let start delivers the unreadable answer it would have replaced, and the run ends at the budget as usual.
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
    private final int unparsableReasks;

    /**
     * @param client           opened on first use, so a worker without judge settings starts and fails only when
     *                         judging
     * @param unparsableReasks how many more times an example whose answer gives no preference is asked within the run
     */
    public JudgeService(
            AnnotatorCatalog catalog,
            JudgeCache cache,
            Supplier<JudgeClient> client,
            JudgePricing pricing,
            RetryPolicy retries,
            int concurrency,
            int unparsableReasks) {
        if (unparsableReasks < 0) {
            throw new IllegalArgumentException("unparsableReasks must not be negative");
        }
        this.catalog = catalog;
        this.cache = cache;
        this.pricing = pricing;
        this.dispatcher = new JudgeDispatcher(client, retries, concurrency);
        this.unparsableReasks = unparsableReasks;
    }

    /** How many more times an answer that gives no preference is asked within a run (see the class comment). */
    public int unparsableReasks() {
        return unparsableReasks;
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
            pending.add(new GroupRequest(run.annotator, group, 0, JudgeResult.Spend.NONE, List.of()));
        }
        dispatcher.dispatch(
                run.annotator,
                pending,
                () -> !run.budget.reached(run.tokens, run.cost),
                answer -> {
                    run.record(answer);
                    if (answer.reask() != null) {
                        pending.addFirst(answer.reask());
                    }
                },
                checkStop);
        if (!pending.isEmpty()) {
            int left = 0;
            int notReasked = 0;
            for (GroupRequest request : pending) {
                if (request.ask == 0) {
                    left += request.group.size();
                } else {
                    notReasked += request.group.size();
                    request.unreadable.forEach(run::deliver);
                }
            }
            JudgeSummary summary = run.summary(left);
            throw new JudgeBudgetExceededException(
                    "the judge budget (" + run.budget + ") is spent: " + summary.tokens()
                            + " tokens, $" + summary.costUsd().toPlainString() + " in " + summary.calls() + " calls; "
                            + left + " examples were not judged"
                            + (notReasked == 0 ? "" : " and " + notReasked + " unparsable answers were not asked again")
                            + " (a later run with a new budget judges them)",
                    summary);
        }
    }

    /**
     * One request for a group of items with the same cache key: the first ask ({@code ask} 0) or a re-ask after an
     * unparsable answer, which carries what the earlier asks spent and the results they gave.
     */
    private final class GroupRequest implements JudgeDispatcher.Request<Answer> {

        private final Annotator annotator;
        private final List<Shown> group;
        private final int ask;
        private final JudgeResult.Spend spentBefore;
        private final List<JudgeResult> unreadable;

        GroupRequest(
                Annotator annotator,
                List<Shown> group,
                int ask,
                JudgeResult.Spend spentBefore,
                List<JudgeResult> unreadable) {
            this.annotator = annotator;
            this.group = group;
            this.ask = ask;
            this.spentBefore = spentBefore;
            this.unreadable = unreadable;
        }

        @Override
        public List<PromptMessage> messages() {
            Shown first = group.get(0);
            return annotator.messages(first.item.instruction(), first.shownFirst, first.shownSecond);
        }

        @Override
        public Answer answered(JudgeResponse response) {
            BigDecimal cost = pricing.cost(annotator, response.promptTokens(), response.completionTokens());
            JudgeResult.Spend spent = spentBefore.plus(response.promptTokens(), response.completionTokens(), cost);
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
                                        spent,
                                        annotator.parser().name(),
                                        ask + 1)
                                : JudgeResult.answered(
                                        shown.item,
                                        annotator.name(),
                                        shown.switched,
                                        OutputOrder.toOriginalOrder(shownPreference, shown.switched),
                                        response,
                                        spent));
            }
            long tokens = response.totalTokens();
            BigDecimal spentNow = cost == null ? BigDecimal.ZERO : cost;
            if (shownPreference == null && ask < unparsableReasks) {
                GroupRequest reask = new GroupRequest(annotator, group, ask + 1, spent, results);
                return new Answer(List.of(), tokens, spentNow, 1, ask > 0, reask);
            }
            return new Answer(results, tokens, spentNow, 1, ask > 0, null);
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
            return new Answer(results, 0, BigDecimal.ZERO, 0, false, null);
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

    /**
     * The results of one request and what it cost.
     *
     * @param results  what to deliver; none when the answer is asked again
     * @param reasked  the request was a re-ask
     * @param reask    the request to send again, or null
     */
    private record Answer(
            List<JudgeResult> results, long tokens, BigDecimal cost, int calls, boolean reasked, GroupRequest reask) {}

    /** The running totals of one {@code judge} call; used on the calling thread only. */
    private static final class Run {

        final Annotator annotator;
        final JudgeBudget budget;
        final Consumer<JudgeResult> sink;
        long tokens;
        BigDecimal cost = BigDecimal.ZERO;
        int calls;
        int reasks;
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
            reasks += answer.reasked() ? 1 : 0;
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
            return new JudgeSummary(judged, failed, cacheHits, calls, reasks, notJudged, tokens, cost);
        }
    }
}
