package io.warmline.media.bench;

import io.warmline.media.opus.OpusConfig;
import io.warmline.media.opus.OpusVoiceEncoder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The encode cost of in-band FEC as a paired measurement: for each profile, encoders with FEC off, FEC for 5 % and
 * FEC for 20 % loss are fed the same frame in turn on one thread (the order rotating every frame), so the JIT state
 * and the machine's load are the same for each, and each encode's thread CPU time is summed per encoder. On a
 * shared machine separate JMH runs of each variant differ by more than FEC costs; this comparison does not.
 *
 * <pre>
 * mvn -B -pl media -Pbench -DskipTests test -Dbench.main=io.warmline.media.bench.FecCostComparison \
 *     -Djmh.args="60 20000"      # warm-up seconds, measured frames per profile
 * </pre>
 */
public final class FecCostComparison {

    private static final String[] VARIANTS = {"fec off", "fec 5 %", "fec 20 %"};

    private FecCostComparison() {
    }

    public static void main(String[] args) {
        long warmSeconds = args.length > 0 ? Long.parseLong(args[0]) : 60;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (String profile : new String[] {"telephoneBand", "wideband"}) {
            OpusConfig base = profile.equals("telephoneBand") ? OpusConfig.telephoneBand() : OpusConfig.wideband();
            OpusVoiceEncoder[] encoders = {
                new OpusVoiceEncoder(with(base, false, 0)),
                new OpusVoiceEncoder(with(base, true, 5)),
                new OpusVoiceEncoder(with(base, true, 20)),
            };
            FrameLoop input = new FrameLoop(BenchSignals.of(profile.equals("wideband") ? "tts" : "pstn",
                    base.sampleRate()), base.frameSamples());
            byte[] packet = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
            long[] bytes = new long[encoders.length];
            long warmEnd = System.nanoTime() + warmSeconds * 1_000_000_000L;
            while (System.nanoTime() < warmEnd) {
                int at = input.next();
                for (OpusVoiceEncoder e : encoders) {
                    e.encode(input.samples(), at, packet, 0, packet.length);
                }
            }
            long[] cpu = new long[encoders.length];
            long wallStart = System.nanoTime();
            for (int f = 0; f < frames; f++) {
                int at = input.next();
                for (int k = 0; k < encoders.length; k++) {
                    int v = (f + k) % encoders.length;
                    long t0 = threads.getCurrentThreadCpuTime();
                    bytes[v] += encoders[v].encode(input.samples(), at, packet, 0, packet.length);
                    cpu[v] += threads.getCurrentThreadCpuTime() - t0;
                }
            }
            double wall = (System.nanoTime() - wallStart) / 1e9;
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "%s (%d Hz, %d bit/s, complexity %d), %d frames, %.0f s wall:", profile, base.sampleRate(),
                    base.bitrate(), base.complexity(), frames, wall));
            for (int v = 0; v < encoders.length; v++) {
                out.append(String.format(Locale.ROOT, "  %s %.1f us/frame (%.2f x off), %.1f kbit/s;", VARIANTS[v],
                        cpu[v] / 1e3 / frames, (double) cpu[v] / cpu[0], bytes[v] * 8.0 / frames / 20.0));
            }
            System.out.println(out);
        }
    }

    private static OpusConfig with(OpusConfig c, boolean fec, int loss) {
        return new OpusConfig(c.sampleRate(), c.frameMillis(), c.bitrate(), c.complexity(), fec, loss, c.dtx(),
                c.maxBandwidth());
    }
}
