package io.warmline.media.bridge;

import io.warmline.media.jitter.JitterBufferStats;
import io.warmline.media.quality.LegQuality;
import io.warmline.media.transport.RtcpStats;

/**
 * A snapshot of one {@link BridgeLeg}'s counters. See {@link BridgeStats} for when a frame is late.
 *
 * @param packetsIn RTP packets received (any payload type)
 * @param telephoneEvents telephone-event packets handed to the handler
 * @param telephoneEventsDropped telephone-event packets released because no handler was set
 * @param unknownPayloadType packets of a payload type that is neither an agreed audio format nor telephone-event
 *     (dropped)
 * @param malformed packets whose header or payload could not be used (dropped)
 * @param jitter the jitter buffer of the current codec (delay, late, lost, discarded); a codec change starts a new
 *     one. Its packet counts are of 10 ms frames for G.711 (packets are cut into them), of packets for Opus
 * @param decodedFrames frames decoded from a received packet (10 ms frames for G.711, packets for Opus)
 * @param concealedFrames frames filled by concealment (G.711 Appendix I style, 10 ms each; or the Opus decoder's)
 * @param recoveredFrames Opus frames rebuilt from the next packet's in-band FEC (RFC 7587 §3.3)
 * @param framesDue output frames due (one per tick)
 * @param framesSent packets sent (audio and injected)
 * @param injectedFrames packets written by the {@link PacketInjector} instead of audio
 * @param dtxFrames Opus frames the encoder's DTX asked not to send (RFC 7587 §3.1.3)
 * @param sharedEncodes frames sent with another leg's encode of the same mix
 * @param lateOutputFrames frames sent more than 10 ms after their deadline, or skipped
 * @param codecChanges codec swaps (re-INVITE)
 * @param receiveSwitches times the peer moved between G.711 and Opus among the agreed formats, each starting a new
 *     jitter buffer and decoder (PCMU ↔ PCMA switches keep theirs and are not counted)
 * @param rtcp the endpoint's RTCP statistics (our reception, the far end's reports, round-trip time), or null when
 *     the endpoint runs no RTCP
 * @param quality E-model estimate of both directions from the network's loss and delay (the jitter buffer's sequence
 *     numbers and RTCP), with our own late and skipped frames and stall drops apart in {@link LegQuality#own()}
 * @param fecEnabled whether the Opus encoder adds in-band FEC now (turned on by the far end's reported loss)
 * @param fecLossPercent the loss the encoder's FEC is sized for, 0 while off
 * @param narrowbandFrames Opus frames encoded narrowband because the leg heard only telephone-band audio
 *     ({@link io.warmline.media.mix.MixGroup#audioRate()})
 */
public record BridgeLegStats(
        long packetsIn,
        long telephoneEvents,
        long telephoneEventsDropped,
        long unknownPayloadType,
        long malformed,
        JitterBufferStats jitter,
        long decodedFrames,
        long concealedFrames,
        long recoveredFrames,
        long framesDue,
        long framesSent,
        long injectedFrames,
        long dtxFrames,
        long sharedEncodes,
        long lateOutputFrames,
        long codecChanges,
        long receiveSwitches,
        RtcpStats rtcp,
        LegQuality quality,
        boolean fecEnabled,
        int fecLossPercent,
        long narrowbandFrames) {
}
