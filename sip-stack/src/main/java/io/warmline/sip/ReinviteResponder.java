package io.warmline.sip;

/** Answers one re-INVITE received on a leg. Exactly one of the methods should be called, once. */
public interface ReinviteResponder {
    /** 200 OK with this answer; the ACK is awaited by the stack. */
    void accept(String answerSdp);

    /** A final non-2xx response (e.g. 488). */
    void reject(int status);
}
