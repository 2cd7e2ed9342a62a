package io.warmline.dtmf.leg;

/**
 * Counters of one leg's DTMF channel.
 *
 * @param heard presses reported
 * @param duplicates presses heard a second way (e.g. the tone left in the audio of an RFC 4733 press), dropped
 * @param echoes media copies of keys this leg was sending, dropped
 * @param looped telephone-event packets carrying this leg's own SSRC, dropped
 * @param sent keys sent
 * @param keysDropped keys that could not go out because the media hooks were not called for too long
 * @param malformedEvents telephone-event packets too short or inconsistent, or of a payload type not agreed for
 *     telephone-event, dropped
 * @param listenerErrors exceptions thrown by the listener
 */
public record LegDtmfStats(long heard, long duplicates, long echoes, long looped, long sent, long keysDropped,
                           long malformedEvents, long listenerErrors) {
}
