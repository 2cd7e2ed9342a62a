package io.warmline.bridge.conversation;

/** An escalation's public state: id, configured target name, state and (once failed or ended) the reason. */
public record EscalationView(String conversationId, String escalationId, String target, String state, String reason) {
}
