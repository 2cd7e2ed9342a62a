package io.warmline.media.bridge;

import java.util.List;
import java.util.Objects;

/**
 * The negotiated audio of one terminated leg, which need not be the same both ways (RFC 3264 §5.1, §6.1, §7): the
 * leg sends one codec, and receives every audio format the exchange agreed on, each packet decoded by its own payload
 * type. A peer may switch between them mid-call (carriers do).
 *
 * @param send what the leg sends: the first format of the peer's list we support (for our answer, our preference)
 * @param receive what the leg accepts, by payload type (at most {@value #MAX_RECEIVE}); each entry's telephone-event
 *     payload type is accepted as well
 */
public record LegCodecs(LegCodec send, List<LegCodec> receive) {

    /** More formats than any offer lists in practice; the bound keeps the per-leg tables small. */
    public static final int MAX_RECEIVE = 16;

    public LegCodecs {
        Objects.requireNonNull(send, "send");
        receive = List.copyOf(receive);
        if (receive.isEmpty() || receive.size() > MAX_RECEIVE) {
            throw new IllegalArgumentException("1 to " + MAX_RECEIVE + " receive formats: " + receive.size());
        }
        boolean[] audio = new boolean[128];
        for (LegCodec c : receive) {
            if (audio[c.payloadType()]) {
                throw new IllegalArgumentException("payload type " + c.payloadType() + " received twice");
            }
            audio[c.payloadType()] = true;
        }
        for (LegCodec c : receive) {
            if (c.hasTelephoneEvent() && audio[c.telephoneEventPt()]) {
                throw new IllegalArgumentException("payload type " + c.telephoneEventPt()
                        + " is both audio and telephone-event");
            }
        }
    }

    /** One codec both ways. */
    public static LegCodecs symmetric(LegCodec codec) {
        return new LegCodecs(codec, List.of(codec));
    }

    /** The received format with {@code payloadType}, or null. */
    public LegCodec received(int payloadType) {
        for (LegCodec c : receive) {
            if (c.payloadType() == payloadType) {
                return c;
            }
        }
        return null;
    }
}
