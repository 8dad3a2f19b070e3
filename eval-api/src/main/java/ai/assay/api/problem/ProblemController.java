package ai.assay.api.problem;

import io.swagger.v3.oas.annotations.Operation;
import java.util.Arrays;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Serves the description of each problem type at its type URI, so that {@code type} is a working link. */
@RestController
class ProblemController {

    record ProblemTypeView(String type, String title, int status, String description) {

        static ProblemTypeView of(ProblemKind kind) {
            return new ProblemTypeView(
                    kind.type().toString(), kind.title(), kind.status().value(), kind.description());
        }
    }

    record ProblemTypesView(List<ProblemTypeView> problems) {}

    @Operation(summary = "List every problem type the API can answer with")
    @GetMapping("/problems")
    ProblemTypesView all() {
        return new ProblemTypesView(
                Arrays.stream(ProblemKind.values()).map(ProblemTypeView::of).toList());
    }

    @Operation(summary = "Describe one problem type")
    @GetMapping("/problems/{slug}")
    ProblemTypeView one(@PathVariable String slug) {
        return ProblemKind.bySlug(slug)
                .map(ProblemTypeView::of)
                .orElseThrow(() ->
                        new ProblemException(ProblemKind.NOT_FOUND, "no problem type is called '%s'".formatted(slug)));
    }
}
