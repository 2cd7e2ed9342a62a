package io.warmline.bridge.conversation;

import io.netty.channel.EventLoop;
import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.info.DtmfInfoCodec;
import io.warmline.dtmf.sequence.DtmfSequence;
import io.warmline.media.time.NanoClock;
import io.warmline.media.transport.MediaLeg;
import io.warmline.media.transport.MediaLegOptions;
import io.warmline.media.transport.PortsExhaustedException;
import io.warmline.media.transport.RtpPortAllocator;
import io.warmline.sip.SipService;
import io.warmline.sip.Trunk;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What an escalation needs to dial: the configured targets (the only numbers the API can reach), the SIP service,
 * and the RTP ports and addresses of the node. Thread-safe (immutable after construction).
 */
public final class EscalationDialer {

    /**
     * A dialable target: its trunk, its number, the codecs offered on that trunk in preference order, and its DTMF:
     * the sequence that navigates its IVR once it answers (null: none), the mode keys are sent in
     * ({@code TargetConfig.dtmfModeWith(trunk)}) and the trunk's INFO body type.
     */
    public record Target(String name, Trunk trunk, String number, List<String> codecs, DtmfSequence dtmf,
                         DtmfMode dtmfMode, String infoContentType, Duration dtmfDelay) {
        public Target {
            Objects.requireNonNull(dtmfDelay, "dtmfDelay");
            Objects.requireNonNull(trunk, "trunk");
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(dtmfMode, "dtmfMode");
            Objects.requireNonNull(infoContentType, "infoContentType");
            codecs = List.copyOf(codecs);
        }

        /** No IVR to navigate; keys in the default mode, INFO bodies as {@code application/dtmf-relay}. */
        public Target(String name, Trunk trunk, String number, List<String> codecs) {
            this(name, trunk, number, codecs, null, DtmfMode.AUTO, DtmfInfoCodec.DTMF_RELAY, Duration.ZERO);
        }
    }

    private final Map<String, Target> targets;
    private final Supplier<SipService> sip;
    private final String advertisedAddress;
    private final InetAddress bindAddress;
    private final RtpPortAllocator ports;
    private final Duration noMediaTimeout;
    private final Duration latchWindow;
    private final NanoClock clock;

    public EscalationDialer(Map<String, Target> targets, Supplier<SipService> sip, String advertisedAddress,
            InetAddress bindAddress, RtpPortAllocator ports, Duration noMediaTimeout, Duration latchWindow,
            NanoClock clock) {
        this.targets = Map.copyOf(targets);
        this.sip = sip;
        this.advertisedAddress = advertisedAddress;
        this.bindAddress = bindAddress;
        this.ports = ports;
        this.noMediaTimeout = noMediaTimeout;
        this.latchWindow = latchWindow;
        this.clock = clock;
    }

    Target target(String name) {
        return targets.get(name);
    }

    NanoClock clock() {
        return clock;
    }

    SipService sip() {
        return sip.get();
    }

    String advertisedAddress() {
        return advertisedAddress;
    }

    MediaLeg openMedia(EventLoop loop, String conversationId) throws PortsExhaustedException, IOException {
        return MediaLeg.open(loop, bindAddress, ports, new MediaLegOptions(noMediaTimeout, latchWindow, clock,
                "warmline-" + conversationId));
    }
}
