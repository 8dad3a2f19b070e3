package ai.assay.worker.engine.prompt;

import java.nio.file.Path;
import org.springframework.stereotype.Component;

/** The text side from the model directory's Hugging Face files, through {@link ModelTextFiles}. */
@Component
public class HfModelTextLoader implements ModelTextLoader {

    @Override
    public ModelText load(Path directory, String chatTemplateOverride) {
        ModelTextFiles files = ModelTextFiles.load(directory, chatTemplateOverride);
        Long maxLength = files.modelMaxLength();
        // A model without a chat template loads; rendering then fails, naming what was looked for.
        ModelText.ChatRenderer chat =
                (messages, addGenerationPrompt) -> files.requireChatTemplate().render(messages, addGenerationPrompt);
        return new ModelText(
                files.tokenizer(),
                chat,
                files.eosTokenIds(),
                files.bosTokenId(),
                files.addsBosByDefault(),
                maxLength != null && maxLength > 0 && maxLength < Integer.MAX_VALUE ? maxLength.intValue() : null,
                files);
    }
}
