package io.warmline.bridge.conversation;

import io.warmline.dtmf.leg.DialHandle;

/**
 * Keys accepted for a leg of a conversation: queued on that leg, sent in its mode.
 *
 * @param leg the leg as the request named it ({@code support}, an escalation id or a voice leg id)
 * @param id a fresh id for this request
 * @param handle the queued sequence (its result completes when it has been sent, cancelled or the leg ended)
 */
public record DtmfPressed(String conversationId, String leg, String id, DialHandle handle) {
}
