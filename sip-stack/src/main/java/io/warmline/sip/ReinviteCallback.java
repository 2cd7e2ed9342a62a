package io.warmline.sip;

/** Outcome of a re-INVITE we sent; runs on the leg's call executor. */
public interface ReinviteCallback {
    /** 2xx: the far end's answer (ACK already sent). */
    void onAnswer(String sdp);

    /** Non-2xx final response, or a local failure (491 when another re-INVITE is pending, 408 on timeout). */
    void onFailure(int status, String reason);
}
