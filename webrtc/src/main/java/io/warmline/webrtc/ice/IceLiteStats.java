package io.warmline.webrtc.ice;

/**
 * Counters of the lite agent since it was made.
 *
 * @param requests Binding requests answered with success
 * @param badRequests 400 answers (no USERNAME, MESSAGE-INTEGRITY or FINGERPRINT)
 * @param badIntegrity 401 answers: MESSAGE-INTEGRITY did not match the leg's password
 * @param wrongRemoteUfrag 401 answers: the peer's half of USERNAME was not its ufrag
 * @param unknownAttributes 420 answers
 * @param roleConflicts 487 answers
 * @param roleSwitches role changes forced by a conflict (RFC 8445 §7.3.1.1)
 * @param nominations selected-path changes
 * @param consentLost legs ended by consent expiry
 * @param restarts ICE restarts (new credentials on a live leg)
 * @param restartsCompleted restarts whose new credentials passed a check, retiring the old ones (RFC 8445 §9)
 * @param dropped packets dropped, by {@link IceDropReason} ordinal
 */
public record IceLiteStats(long requests, long badRequests, long badIntegrity, long wrongRemoteUfrag,
        long unknownAttributes, long roleConflicts, long roleSwitches, long nominations, long consentLost,
        long restarts, long restartsCompleted, long[] dropped) {

    public IceLiteStats {
        dropped = dropped.clone();
    }

    public long dropped(IceDropReason reason) {
        return dropped[reason.ordinal()];
    }

    @Override
    public long[] dropped() {
        return dropped.clone();
    }
}
