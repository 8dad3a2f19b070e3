package ai.assay.worker.alpacaeval;

import ai.assay.core.alpacaeval.data.EvalSetEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pre-generated outputs joined to the eval set by instruction, as alpaca_eval joins them, except that nothing is
 * dropped silently: instructions without an output, outputs for instructions not in the eval set, and repeated
 * instructions are counted and reported with the task's result.
 *
 * @param outputsByIndex the output for each eval-set index that has one (the first, when repeated)
 */
record OutputJoin(
        Map<Integer, String> outputsByIndex,
        List<String> unknownInstructions,
        List<Integer> missing,
        int repeated,
        int provided) {

    private static final int REPORTED = 20;

    static OutputJoin of(List<EvalSetEntry> evalSet, List<ProvidedOutput> outputs) {
        Map<String, String> byInstruction = new LinkedHashMap<>();
        int repeated = 0;
        for (ProvidedOutput output : outputs) {
            if (byInstruction.putIfAbsent(output.instruction(), output.output()) != null) {
                repeated++;
            }
        }
        Set<String> known = evalSet.stream().map(EvalSetEntry::instruction).collect(Collectors.toSet());
        Map<Integer, String> byIndex = new HashMap<>();
        List<Integer> missing = new ArrayList<>();
        for (EvalSetEntry entry : evalSet) {
            String output = byInstruction.get(entry.instruction());
            if (output == null) {
                missing.add(entry.index());
            } else {
                byIndex.put(entry.index(), output);
            }
        }
        List<String> unknown =
                byInstruction.keySet().stream().filter(i -> !known.contains(i)).toList();
        return new OutputJoin(byIndex, unknown, missing, repeated, outputs.size());
    }

    boolean isComplete() {
        return unknownInstructions.isEmpty() && missing.isEmpty() && repeated == 0;
    }

    /** The report stored with the task's result; long lists are cut to their first entries. */
    ObjectNode report() {
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.put("provided", provided);
        report.put("matched", outputsByIndex.size());
        report.put("missing", missing.size());
        report.put("unknownInstructions", unknownInstructions.size());
        report.put("repeatedInstructions", repeated);
        var firstMissing = report.putArray("firstMissingIndexes");
        missing.stream().limit(REPORTED).forEach(firstMissing::add);
        var firstUnknown = report.putArray("firstUnknownInstructions");
        unknownInstructions.stream().limit(REPORTED).forEach(firstUnknown::add);
        return report;
    }
}
