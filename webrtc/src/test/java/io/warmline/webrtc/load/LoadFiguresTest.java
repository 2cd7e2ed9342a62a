package io.warmline.webrtc.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The load client's judgements: tone frames, percentiles and the /proc/<pid>/stat fields it reads. */
class LoadFiguresTest {

    @Test
    void aToneFrameCarriesItsToneAndNotItsNeighbour() {
        byte[] frame = ToneFrames.toneFrame(48_000, 700, 6000);
        assertEquals(960, frame.length);
        assertTrue(ToneFrames.meanSquare(frame, 1, 480) > ToneFrames.AUDIBLE_MEAN_SQUARE);
        assertTrue(ToneFrames.toneShare(frame, 1, 480, 48_000, 700) > 0.9);
        assertTrue(ToneFrames.toneShare(frame, 1, 480, 48_000, 800) < 0.1);
    }

    @Test
    void silenceIsNotAudibleAndCarriesNoTone() {
        byte[] silence = new byte[960];
        assertEquals(0, ToneFrames.meanSquare(silence, 1, 480));
        assertEquals(0, ToneFrames.toneShare(silence, 1, 480, 48_000, 700));
    }

    @Test
    void onlyTheFirstChannelOfStereoIsJudged() {
        byte[] mono = ToneFrames.toneFrame(48_000, 500, 6000);
        byte[] stereo = new byte[mono.length * 2];
        for (int i = 0; i < 480; i++) {
            stereo[4 * i] = mono[2 * i];
            stereo[4 * i + 1] = mono[2 * i + 1];
            stereo[4 * i + 2] = 0x7f;
        }
        assertEquals(ToneFrames.meanSquare(mono, 1, 480), ToneFrames.meanSquare(stereo, 2, 480), 1e-6);
    }

    @Test
    void wholePeriodsRepeatWithoutAJump() {
        byte[] f = ToneFrames.toneFrame(48_000, 1100, 6000);
        // Sample 480 would equal sample 0: the last sample leads smoothly into the frame's first again.
        int last = (short) ((f[958] & 0xFF) | f[959] << 8);
        int step = (int) Math.round(6000 * Math.sin(2 * Math.PI * 1100 / 48_000.0));
        assertEquals(-step, last, 1);
    }

    @Test
    void nearestRankPercentiles() {
        Percentiles p = new Percentiles(new double[] {5, 1, 4, 2, 3, 10, 9, 8, 7, 6});
        assertEquals(10, p.count());
        assertEquals(5, p.at(50));
        assertEquals(10, p.at(95));
        assertEquals(1, p.at(0));
        assertEquals(10, p.at(100));
        assertEquals(5.5, p.mean());
        assertTrue(Double.isNaN(new Percentiles(new double[0]).at(50)));
    }

    @Test
    void userAndSystemTicksAreReadAfterACommandWithSpaces() {
        String stat = "4242 (java main) S 1 4242 4242 0 -1 4194560 12 0 0 0 1234 567 0 0 20 0 30 0 100 1 1";
        assertArrayEquals(new long[] {1234, 567}, ProcCpu.parseUserSystem(stat));
        assertTrue(ProcCpu.processTicks(ProcessHandle.current().pid()) >= 0);
    }

    @Test
    void threadsAreGroupedByNameAndNewThreadsCountFromZero() {
        var before = java.util.Map.of(1L, new ProcCpu.ThreadTicks("GC Thread#0", 10, 3),
                2L, new ProcCpu.ThreadTicks("worker_thread", 100, 50), 3L, new ProcCpu.ThreadTicks("ended", 5, 1));
        var after = java.util.Map.of(1L, new ProcCpu.ThreadTicks("GC Thread#0", 15, 4),
                2L, new ProcCpu.ThreadTicks("worker_thread", 160, 250),
                4L, new ProcCpu.ThreadTicks("GC Thread#1", 7, 9));
        var groups = ProcCpu.threadGroups(before, after);
        assertEquals(java.util.List.of("worker_thread", "GC Thread"), java.util.List.copyOf(groups.keySet()));
        assertArrayEquals(new long[] {60, 1, 200}, groups.get("worker_thread"));
        assertArrayEquals(new long[] {12, 2, 10}, groups.get("GC Thread"));
        assertEquals(12, ProcCpu.parseContextSwitches(
                "Name:\tjava\nvoluntary_ctxt_switches:\t7\nnonvoluntary_ctxt_switches:\t5\n"));
        assertEquals(-1, ProcCpu.parseContextSwitches("Name:\tjava\n"));
        assertEquals("rtp_send_controller", ProcCpu.groupName("rtp_send_controller"));
        assertEquals("pool-1-thread", ProcCpu.groupName("pool-1-thread-7"));
        assertTrue(ProcCpu.threadTicks(ProcessHandle.current().pid()).size() > 1);
        var encoders = ProcCpu.threadsOf("GC Thread", before, after);
        assertEquals(1, encoders.size());
        assertArrayEquals(new long[] {5, 1}, encoders.get(0));
    }

    @Test
    void clientSettingsAreBounded() {
        LoadPeer.Settings ok = new LoadPeer.Settings(48_000, 2, 2, 1, 0);
        assertEquals(960, ToneFrames.toneFrame(ok.feedRate(), 400, 6000).length);
        assertEquals(2, ok.roundFrames());
        LoadPeer.Settings ab = new LoadPeer.Settings(48_000, 2, 1, 1, 0);
        assertEquals(1, ab.roundFrames());
        assertEquals(2, ab.burstOf(4));
        assertEquals(1, ab.burstOf(5));
        assertEquals(2, new LoadPeer.Settings(48_000, 4, 2, 1, 0).roundFrames());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LoadPeer.Settings(44_100, 2, 2, 1, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LoadPeer.Settings(48_000, 0, 2, 1, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LoadPeer.Settings(48_000, 2, 2, 11, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LoadPeer.Settings(48_000, 2, 2, 1, 5_000));
    }
}
