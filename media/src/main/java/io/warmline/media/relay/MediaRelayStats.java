package io.warmline.media.relay;

/**
 * Counters of one {@link MediaRelay}.
 *
 * @param forwardedAtoB packets forwarded from leg A to leg B
 * @param forwardedBtoA packets forwarded from leg B to leg A
 * @param transcoded packets whose G.711 payload was converted (µ-law ↔ A-law)
 * @param droppedNoFormat packets dropped because a leg had no negotiated format yet
 * @param droppedTelephoneEvent telephone-event packets dropped because the other leg did not negotiate
 *     telephone-event (RFC 4733)
 * @param droppedUnknownPayloadType packets whose payload type the sending leg did not negotiate, or whose codec
 *     cannot be converted to the other leg's
 */
public record MediaRelayStats(
        long forwardedAtoB,
        long forwardedBtoA,
        long transcoded,
        long droppedNoFormat,
        long droppedTelephoneEvent,
        long droppedUnknownPayloadType) {
}
