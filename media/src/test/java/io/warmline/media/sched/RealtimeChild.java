package io.warmline.media.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * The child JVM of {@link RealtimeThreadFactoryTest}: starts three threads through the factory at the priority given
 * as its argument and prints, for each that ran, its policy and real-time priority as /proc shows them.
 */
public final class RealtimeChild {
    private RealtimeChild() {}

    public static void main(String[] args) throws Exception {
        ThreadFactory factory = new RealtimeThreadFactory(r -> new Thread(r, "media-child"), Integer.parseInt(args[0]));
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String[] result = new String[1];
            Thread t = factory.newThread(() -> {
                try {
                    result[0] = ProcThread.policyAndPriority();
                } catch (Exception e) {
                    result[0] = e.toString();
                }
            });
            t.start();
            t.join(10_000);
            seen.add(result[0]);
        }
        System.out.println("ran " + seen);
    }
}
