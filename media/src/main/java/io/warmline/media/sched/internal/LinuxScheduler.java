package io.warmline.media.sched.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/** sched_setscheduler(2) on the calling thread, through JNA. Linux only; the library loads on first use. */
public final class LinuxScheduler {
    /** sched(7): round-robin real-time policy. */
    public static final int SCHED_RR = 2;
    /**
     * sched(7): threads this one creates start SCHED_OTHER (a negative nice reset to 0), so pools a media loop starts
     * lazily (DTLS handshakes, recording, TTS) stay normal instead of inheriting the real-time policy.
     */
    public static final int SCHED_RESET_ON_FORK = 0x40000000;

    private LinuxScheduler() {}

    private interface LibC extends Library {
        /** {@code param} is {@code struct sched_param}: one int, sched_priority. pid 0 is the calling thread. */
        int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    /**
     * Puts the calling thread in SCHED_RR at {@code priority}, with SCHED_RESET_ON_FORK.
     *
     * @return 0 on success, else the errno of the failed call (EPERM without CAP_SYS_NICE or RLIMIT_RTPRIO)
     * @throws LinkageError when JNA or the C library cannot be loaded
     */
    public static int setRoundRobin(int priority) {
        try {
            Holder.LIBC.sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, new int[] {priority});
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    /** The symbolic name of the errno values sched_setscheduler(2) documents. */
    public static String errnoName(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 3 -> "ESRCH";
            case 22 -> "EINVAL";
            case 38 -> "ENOSYS";
            default -> "errno " + errno;
        };
    }
}
