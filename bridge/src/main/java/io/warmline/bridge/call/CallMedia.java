package io.warmline.bridge.call;

import io.warmline.media.bridge.MediaBridge;
import io.warmline.media.opus.OpusConfig;
import io.warmline.media.opus.OpusVoiceDecoder;
import io.warmline.media.opus.OpusVoiceEncoder;

/**
 * The media settings of terminated SIP calls, in one place for the calls and for the tools that imitate their
 * peers (the load script's Opus stream).
 */
public final class CallMedia {

    /** Mix rate of terminated calls: both sides are telephone-band (a PSTN or PBX leg has nothing above 4 kHz). */
    public static final int MIX_RATE = 8000;

    private CallMedia() {
    }

    /**
     * Runs the Opus codec once (its first use initialises large static tables, about half a second on this machine)
     * and loads the bridge's classes ({@link MediaBridge#warmUp()}), so that the first terminated call does not stall
     * its event loop. Call at start-up, off the event loops.
     */
    public static void warmUp() {
        MediaBridge.warmUp();
        OpusVoiceEncoder encoder = new OpusVoiceEncoder(opus());
        OpusVoiceDecoder decoder = new OpusVoiceDecoder(MIX_RATE);
        short[] pcm = new short[encoder.frameSamples()];
        byte[] packet = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < pcm.length; j++) {
                pcm[j] = (short) (3000 * Math.sin(0.3 * (i * pcm.length + j)));
            }
            int n = encoder.encode(pcm, 0, packet, 0, packet.length);
            decoder.decode(packet, 0, n, pcm, 0, pcm.length);
        }
    }

    /**
     * Opus encoder settings of a terminated SIP leg: the media module's telephone-band settings (8 kHz input,
     * narrowband SILK), since what it encodes is a SIP leg's telephone-band audio.
     */
    public static OpusConfig opus() {
        return OpusConfig.telephoneBand();
    }
}
