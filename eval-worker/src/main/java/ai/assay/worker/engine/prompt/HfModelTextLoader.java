package ai.assay.worker.engine.prompt;

import ai.assay.reference.chat.ChatMessage;
import ai.assay.reference.chat.ChatTemplate;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The text side from the model directory's Hugging Face files, through {@link ModelTextFiles}. */
@Component
public class HfModelTextLoader implements ModelTextLoader {

    @Override
    public ModelText load(Path directory, String chatTemplateOverride) {
        ModelTextFiles files = ModelTextFiles.load(directory, chatTemplateOverride);
        Long maxLength = files.modelMaxLength();
        // A model without a chat template loads; rendering then fails, naming what was looked for.
        ModelText.ChatRenderer chat = new ModelText.ChatRenderer() {
            @Override
            public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
                return files.requireChatTemplate().render(messages, addGenerationPrompt);
            }

            @Override
            public Optional<String> template() {
                return files.chatTemplate().map(ChatTemplate::source);
            }
        };
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
