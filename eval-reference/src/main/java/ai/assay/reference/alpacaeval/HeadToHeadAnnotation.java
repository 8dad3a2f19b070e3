package ai.assay.reference.alpacaeval;

import tools.jackson.databind.JsonNode;

/**
 * One row of an AlpacaEval annotations file: the judge's verdict on the baseline's output (output_1) against the
 * evaluated model's (output_2) for one instruction, in the original (unswitched) order.
 *
 * @param preference 1 = baseline better, 2 = model better, 1.5 = tie, in between = soft; 0 = legacy tie; null = none
 * @param rawCompletion the judge's completion as stored (for the default judge an OpenAI chat-completion choice with
 *     logprobs); null when the file has none
 */
public record HeadToHeadAnnotation(
        String instruction,
        String output1,
        String generator1,
        String output2,
        String generator2,
        Double preference,
        JsonNode rawCompletion) {}
