package io.warmline.webrtc.srtp;

/**
 * Counters of one SRTP session.
 *
 * @param protectedRtp    RTP packets protected
 * @param unprotectedRtp  SRTP packets authenticated and decrypted
 * @param protectedRtcp   RTCP packets protected
 * @param unprotectedRtcp SRTCP packets authenticated and decrypted
 * @param authFailures    packets dropped for a bad tag
 * @param replays         packets dropped as replayed or too old
 * @param malformed       packets dropped as malformed
 * @param tooManyStreams  packets dropped for a new SSRC over the limit
 * @param cryptoErrors    packets dropped for a crypto provider failure
 */
public record SrtpStats(long protectedRtp, long unprotectedRtp, long protectedRtcp, long unprotectedRtcp,
                        long authFailures, long replays, long malformed, long tooManyStreams, long cryptoErrors) {

    public long dropped() {
        return authFailures + replays + malformed + tooManyStreams + cryptoErrors;
    }
}
