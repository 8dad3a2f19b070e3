package ai.assay.reference.chat;

/** One turn of a chat: role "system", "user" or "assistant". */
public record ChatMessage(String role, String content) {}
