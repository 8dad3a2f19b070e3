package ai.assay.api.evaluation;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.Page;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One page of evaluations, newest first. */
@Schema(name = "EvaluationPage")
record EvaluationPageView(List<EvaluationView> items, int page, int size, long totalItems, long totalPages) {

    static EvaluationPageView of(Page<Evaluation> page) {
        return new EvaluationPageView(
                page.items().stream().map(EvaluationView::of).toList(),
                page.page(),
                page.size(),
                page.totalItems(),
                page.totalPages());
    }
}
