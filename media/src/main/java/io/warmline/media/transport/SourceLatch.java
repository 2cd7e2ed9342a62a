package io.warmline.media.transport;

import java.net.InetSocketAddress;

/**
 * Symmetric RTP source learning, restricted to a short window after signalling (defence against "RTP bleed", where
 * anyone who guesses the port could otherwise take over the media stream). Sans-IO: the caller passes each packet's
 * source with the current time and counts the rejections.
 *
 * <ul>
 *   <li>Before {@link #startLearning} nothing is accepted: no remote is known yet.</li>
 *   <li>During the window the first source heard is latched. If the address from SDP sends, it is preferred and
 *       replaces any other latched source. Packets from other sources are rejected.</li>
 *   <li>When the window ends with nothing latched, the SDP address is latched.</li>
 *   <li>After the window only the latched source is accepted, until signalling starts a new window.</li>
 *   <li>When signalling moves the stream to another SDP address (a re-INVITE after a media-server move, RFC 3264
 *       §8.3.1), the address it moved away from is never latched in the new window: packets still in flight from
 *       there (or a far end that keeps echoing there) must not pull the stream back.</li>
 * </ul>
 *
 * <p>Not thread-safe: confined to the owning leg's event loop.
 */
public final class SourceLatch {

    private final long windowNanos;
    private InetSocketAddress sdpAddress;
    private InetSocketAddress abandoned;
    private InetSocketAddress latched;
    private boolean started;
    private boolean learning;
    private long windowEnd;

    /**
     * @param sdpAddress the remote address from SDP, or null when signalling has none yet
     * @param windowNanos learning window length, at least 0
     */
    public SourceLatch(InetSocketAddress sdpAddress, long windowNanos) {
        if (windowNanos < 0) {
            throw new IllegalArgumentException("negative learning window");
        }
        this.sdpAddress = sdpAddress;
        this.windowNanos = windowNanos;
    }

    /** Opens a learning window for the current SDP address (signalling set or repeated the remote). */
    public void startLearning(long nowNanos) {
        started = true;
        learning = true;
        latched = null;
        windowEnd = nowNanos + windowNanos;
    }

    /** Signalling changed the remote (offer/answer, re-INVITE): new SDP address and a new window. */
    public void startLearning(InetSocketAddress newSdpAddress, long nowNanos) {
        if (sdpAddress != null && newSdpAddress != null && !sdpAddress.equals(newSdpAddress)) {
            abandoned = sdpAddress;
        } else if (newSdpAddress != null && newSdpAddress.equals(abandoned)) {
            abandoned = null;
        }
        this.sdpAddress = newSdpAddress;
        startLearning(nowNanos);
    }

    /** Whether a packet from {@code source} arriving at {@code nowNanos} belongs to this stream. */
    public boolean accept(InetSocketAddress source, long nowNanos) {
        if (!started || source == null) {
            return false;
        }
        if (learning) {
            if (nowNanos - windowEnd < 0) {
                if (source.equals(abandoned)) {
                    return false;
                }
                if (latched == null || (source.equals(sdpAddress) && !latched.equals(sdpAddress))) {
                    latched = source;
                    return true;
                }
                return source.equals(latched);
            }
            endWindow();
        }
        return source.equals(latched);
    }

    /** Ends the window if it is over; call from timers so the target settles even when nothing arrives. */
    public void poll(long nowNanos) {
        if (learning && nowNanos - windowEnd >= 0) {
            endWindow();
        }
    }

    private void endWindow() {
        learning = false;
        if (latched == null) {
            latched = sdpAddress;
        }
    }

    /** The latched source, or null while none is latched. */
    public InetSocketAddress latched() {
        return latched;
    }

    /** Where to send: the latched source, else the SDP address (null when neither is known). */
    public InetSocketAddress target() {
        return latched != null ? latched : sdpAddress;
    }

    public InetSocketAddress sdpAddress() {
        return sdpAddress;
    }

    public boolean isLearning() {
        return learning;
    }
}
