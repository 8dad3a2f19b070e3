package ai.assay.worker.engine.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.chat.ChatMessage;
import ai.assay.reference.chat.ChatTemplate;
import ai.assay.reference.chat.ChatTemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ChatTemplateTests {

    private static final List<ChatMessage> HI = List.of(new ChatMessage("user", "Hi"));

    private static ChatTemplate of(String template) {
        return ChatTemplate.of(template, Map.of(), List.of());
    }

    @Test
    void aMissingTemplateIsRefusedAtOnce() {
        assertThatThrownBy(() -> of(null))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("No chat template");
        assertThatThrownBy(() -> of(" \n")).isInstanceOf(ChatTemplateException.class);
    }

    @Test
    void brokenTemplatesFailWhenCreated() {
        assertThatThrownBy(() -> of("{# never closed")).hasMessageContaining("comment opened at line 1, column 1");
        assertThatThrownBy(() -> of("a\n{{ 'never closed }}")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> of("{% raw %}x")).hasMessageContaining("raw block");
        assertThatThrownBy(() -> of("{% if true %}x")).hasMessageContaining("Missing end tag");
        assertThatThrownBy(() -> of("{{ messages | nosuch }}")).hasMessageContaining("filter 'nosuch'");
        assertThatThrownBy(() -> of("{% if x is nosuch %}{% endif %}")).hasMessageContaining("test 'nosuch'");
        assertThatThrownBy(() -> of("{{ undefined_function() }}")).hasMessageContaining("undefined_function");
        assertThatThrownBy(() -> of("{% include 'other.jinja' %}")).hasMessageContaining("cannot include");
    }

    @Test
    void aTemplateThatRaisesForShortChatsStillLoads() {
        ChatTemplate needsSystem = of("{% if messages[0].role != 'system' %}{{ raise_exception('Need a system "
                + "message') }}{% endif %}{% for m in messages %}[{{ m.content }}]{% endfor %}");
        assertThatThrownBy(() -> needsSystem.render(HI, true))
                .isInstanceOfSatisfying(
                        ChatTemplateException.class,
                        e -> assertThat(e.raisedByTemplate()).isTrue())
                .hasMessage("Need a system message");
        assertThat(needsSystem.render(List.of(new ChatMessage("system", "S"), new ChatMessage("user", "U")), true))
                .isEqualTo("[S][U]");
    }

    @Test
    void seesTheSpecialTokensAndTheVariables() {
        TokenizerConfig config = new TokenizerConfig(
                Map.of("bos_token", "<s>", "eos_token", "</s>"),
                List.of("<a>", "<b>"),
                null,
                null,
                null,
                null,
                Map.of(),
                false,
                null);
        ChatTemplate template = ChatTemplate.of(
                "{{ bos_token }}|{{ eos_token }}|{{ pad_token }}|"
                        + "{{ additional_special_tokens | join(',') }}|{{ tools is none }}|{{ documents is none }}|"
                        + "{{ add_generation_prompt }}|{{ extra }}",
                config.specialTokens(),
                config.additionalSpecialTokens());
        assertThat(template.render(HI, true)).isEqualTo("<s>|</s>||<a>,<b>|True|True|True|");
        assertThat(template.render(HI, false, false, Map.of("extra", "x", "eos_token", "<end>")))
                .isEqualTo("<s>|<end>||<a>,<b>|True|True|False|x");
    }

    @Test
    void contentIsNeverInterpreted() {
        ChatTemplate template = of("{% for m in messages %}<{{ m.content }}>{% endfor %}");
        String tricky = "{{ 6 * 7 }} {% for x in y %} {# c #} {%- raw -%} \\n ' \" }} %}";
        assertThat(template.render(List.of(new ChatMessage("user", tricky)), false))
                .isEqualTo("<" + tricky + ">");
    }

    @Test
    void rendersLongConversations() {
        String big = "word ".repeat(400_000);
        List<ChatMessage> messages = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            ChatMessage message = new ChatMessage(i % 2 == 0 ? "user" : "assistant", i + ":" + (i == 100 ? big : "x"));
            messages.add(message);
            expected.append(message.role())
                    .append(':')
                    .append(message.content())
                    .append('\n');
        }
        String rendered = of("{% for m in messages %}{{ m.role }}:{{ m.content }}\n{% endfor %}")
                .render(messages, false);
        assertThat(rendered.length()).isEqualTo(expected.length()).isGreaterThan(2_000_000);
        assertThat(rendered).isEqualTo(expected.toString());
    }

    @Test
    void continuingTheFinalMessage() {
        ChatTemplate chatMl = of(TestTokenizers.CHATML_TEMPLATE);
        List<ChatMessage> prefill = List.of(new ChatMessage("user", "Hi"), new ChatMessage("assistant", "Sure,"));
        assertThat(chatMl.render(prefill, false, true, Map.of()))
                .isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nSure,");
        assertThatThrownBy(() -> chatMl.render(prefill, true, true, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> of("{{ 'nothing' }}").render(prefill, false, true, Map.of()))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("final message");
    }

    @Test
    void rendersFromManyThreads() throws Exception {
        ChatTemplate template = ChatTemplate.of(TestTokenizers.CHATML_TEMPLATE, Map.of(), List.of());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int t = thread;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        String content = "thread " + t + " message " + i;
                        String expected = "<|im_start|>user\n" + content + "<|im_end|>\n<|im_start|>assistant\n";
                        if (!template.render(List.of(new ChatMessage("user", content)), true)
                                .equals(expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keepsTheSource() {
        assertThat(of(TestTokenizers.CHATML_TEMPLATE).source()).isEqualTo(TestTokenizers.CHATML_TEMPLATE);
    }
}
