package io.warmline.sip.internal;

import org.slf4j.MDC;

/** Puts the conversation ({@code conv}) and Call-ID ({@code callId}) in the SLF4J MDC around a task. */
public final class Mdc {

    public static final String CONV = "conv";
    public static final String CALL_ID = "callId";

    private Mdc() {
    }

    public static Runnable wrap(String conv, String callId, Runnable task) {
        return () -> {
            String oldConv = MDC.get(CONV);
            String oldCall = MDC.get(CALL_ID);
            MDC.put(CONV, conv);
            MDC.put(CALL_ID, callId);
            try {
                task.run();
            } finally {
                restore(CONV, oldConv);
                restore(CALL_ID, oldCall);
            }
        };
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
