package io.warmline.bridge.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warmline.webrtc.sdp.IceCandidate;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MediaWarmUpTest {

    @Test
    void targetsTheFirstIpv4UdpCandidateAndLoopbackForTheWildcard() {
        List<IceCandidate> both = IceCandidate.hostCandidates(
                List.of(new InetSocketAddress("::1", 5000), new InetSocketAddress("127.0.0.1", 5000)),
                List.of(new InetSocketAddress("127.0.0.1", 5000)));
        assertEquals(new InetSocketAddress("127.0.0.1", 5000), MediaWarmUp.loopbackTarget(both));
        assertEquals(new InetSocketAddress("::1", 6000), MediaWarmUp.loopbackTarget(
                IceCandidate.hostCandidates(List.of(new InetSocketAddress("::1", 6000)), List.of())));
        assertEquals(new InetSocketAddress("127.0.0.1", 7000), MediaWarmUp.loopbackTarget(
                IceCandidate.hostCandidates(List.of(new InetSocketAddress("0.0.0.0", 7000)), List.of())));
        assertThrows(IllegalStateException.class, () -> MediaWarmUp.loopbackTarget(
                IceCandidate.hostCandidates(List.of(), List.of(new InetSocketAddress("127.0.0.1", 5000)))));
    }

    @Test
    void settingsAreBounded() {
        Duration s = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new MediaWarmUp.Settings(0, s, s, s));
        assertThrows(IllegalArgumentException.class,
                () -> new MediaWarmUp.Settings(MediaWarmUp.MAX_LEGS + 1, s, s, s));
        assertEquals(MediaWarmUp.MAX_LEGS, new MediaWarmUp.Settings(MediaWarmUp.MAX_LEGS, s, s, s).legs());
    }
}
