package io.warmline.bridge.internal;

import org.slf4j.MDC;

/** The conversation ID in the log context (MDC {@code conv}) while a callback from another layer runs. */
public final class LogContext {
    private LogContext() {
    }

    /** Runs {@code r} with {@code conversation} as {@code conv}, restoring what was there before. */
    public static void inConversation(String conversation, Runnable r) {
        String previous = MDC.get("conv");
        MDC.put("conv", conversation);
        try {
            r.run();
        } finally {
            if (previous == null) {
                MDC.remove("conv");
            } else {
                MDC.put("conv", previous);
            }
        }
    }
}
