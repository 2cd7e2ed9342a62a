package io.warmline.media.bridge;

import io.warmline.media.codec.G711;
import io.warmline.media.opus.OpusVoiceDecoder;
import java.util.Arrays;
import java.util.List;

/** Decodes what a leg sent, as its far end would, to 8 kHz PCM. */
final class Listening {

    private Listening() {
    }

    static short[] decode(List<FakeEndpoint.Sent> packets, LegCodec codec) {
        short[] out = new short[packets.size() * 160];
        OpusVoiceDecoder opus = codec.opus() == null ? null : new OpusVoiceDecoder(8000);
        int n = 0;
        for (FakeEndpoint.Sent p : packets) {
            byte[] b = p.payload();
            switch (codec.encoding()) {
                case PCMU -> G711.decodeUlaw(b, 0, b.length, out, n);
                case PCMA -> G711.decodeAlaw(b, 0, b.length, out, n);
                default -> opus.decode(b, 0, b.length, out, n, 160);
            }
            n += 160;
        }
        return Arrays.copyOf(out, n);
    }
}
