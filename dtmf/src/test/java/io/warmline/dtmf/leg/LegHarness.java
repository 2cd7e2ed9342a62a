package io.warmline.dtmf.leg;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.dtmf.ivr.ExecutorOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Drives a {@link LegDtmf} the way the bridge does: every 20 ms tick it consults the packet injector, then hands the
 * outbound frame (filled with a steady "mix" signal) to the outbound-audio hook, and records what would go on the wire.
 */
final class LegHarness implements DtmfListener {

    static final long MS = 1_000_000L;
    static final long SSRC = 0x1234ABCDL;

    final int rate;
    final LegDtmf dtmf;
    final List<DigitHeard> heard = new ArrayList<>();
    final List<ExecutorOutput> progress = new ArrayList<>();
    final List<DtmfInfo> infos = new ArrayList<>();
    /** Every RTP packet the injector wrote, copied, with the tick time it went out. */
    final List<byte[]> packets = new ArrayList<>();
    final List<Long> packetTimes = new ArrayList<>();
    /** The outbound audio of each tick that sent audio (null entries for ticks replaced by an event packet). */
    final List<short[]> frames = new ArrayList<>();
    short mixLevel;
    long now;
    long audioTimestamp = 0xFFFFF000L;
    int sequence = 0xFFF0;

    LegHarness(DtmfMode mode, int telephoneEventPt, int rate) {
        this(LegDtmfSettings.STANDARD.withMode(mode), telephoneEventPt, rate, true);
    }

    LegHarness(LegDtmfSettings settings, int telephoneEventPt, int rate, boolean withInfo) {
        this.rate = rate;
        this.dtmf = new LegDtmf("leg-a", settings, telephoneEventPt, rate, this, withInfo ? infos::add : null);
    }

    @Override
    public void onDigitHeard(DigitHeard d) {
        heard.add(d);
    }

    @Override
    public void onProgress(DialHandle handle, ExecutorOutput output) {
        progress.add(output);
    }

    /** One 20 ms tick of the outbound path. */
    void tick() {
        ByteBuf dst = Unpooled.buffer(64);
        try {
            if (dtmf.inject(now, audioTimestamp & 0xFFFFFFFFL, sequence & 0xFFFF, SSRC, dst)) {
                byte[] copy = new byte[dst.readableBytes()];
                dst.getBytes(dst.readerIndex(), copy);
                packets.add(copy);
                packetTimes.add(now);
                sequence++;
                frames.add(null);
            } else {
                short[] pcm = new short[rate / 50];
                Arrays.fill(pcm, mixLevel);
                dtmf.process(pcm, 0, pcm.length, rate, now);
                frames.add(pcm);
                sequence++;
            }
        } finally {
            dst.release();
        }
        audioTimestamp += rate / 50;
        now += 20 * MS;
    }

    void ticks(int n) {
        for (int i = 0; i < n; i++) {
            tick();
        }
    }

    void runFor(long millis) {
        ticks((int) (millis / 20));
    }

    /** The outbound audio of every tick, 8 kHz (48 kHz decimated by 6: DTMF has nothing above 1.7 kHz). */
    short[] audio8k() {
        int per = 160;
        short[] out = new short[frames.size() * per];
        int step = rate / 8000;
        for (int f = 0; f < frames.size(); f++) {
            short[] frame = frames.get(f);
            for (int i = 0; frame != null && i < per; i++) {
                out[f * per + i] = frame[i * step];
            }
        }
        return out;
    }

    String heardSymbols() {
        StringBuilder sb = new StringBuilder();
        heard.forEach(d -> sb.append(d.digit().symbol()));
        return sb.toString();
    }
}
