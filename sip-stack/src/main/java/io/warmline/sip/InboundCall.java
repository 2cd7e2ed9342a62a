package io.warmline.sip;

/** What is known of an admitted inbound INVITE when the handler picks the call's executor. */
public record InboundCall(ConversationId conversationId, Trunk trunk, String calledNumber, String callerNumber,
                          String callId) {
}
