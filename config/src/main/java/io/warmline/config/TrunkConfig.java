package io.warmline.config;

import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.info.DtmfInfoCodec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A carrier (or PBX) SIP trunk.
 *
 * @param outboundProxy null when requests go straight to {@code outboundAddress}
 * @param auth null when the trunk needs no digest credentials
 * @param callerId null to pass the caller's own number
 * @param codecs in preference order
 * @param allow source networks allowed to send calls in on this trunk
 * @param numbers dialled numbers this trunk may call
 * @param headers extra headers for outbound INVITEs, in file order
 * @param dtmfMode how keys are sent on this trunk's calls (AUTO: RFC 4733 when telephone-event is negotiated, else
 *     in-band)
 * @param infoContentType the body type of DTMF INFOs sent in {@link DtmfMode#INFO} mode:
 *     {@link DtmfInfoCodec#DTMF_RELAY} or {@link DtmfInfoCodec#DTMF}
 * @param record calls coming in on this trunk are recorded ({@link RecordingConfig})
 */
public record TrunkConfig(String name, HostPort outboundAddress, Transport transport, HostPort outboundProxy,
        DigestCredentials auth, String callerId, List<String> codecs, Duration ringTimeout, List<Cidr> allow,
        List<NumberPattern> numbers, Map<String, String> headers, DtmfMode dtmfMode, String infoContentType,
        boolean record) {

    public static final DtmfMode DEFAULT_DTMF_MODE = DtmfMode.AUTO;
    public static final String DEFAULT_INFO_CONTENT_TYPE = DtmfInfoCodec.DTMF_RELAY;

    public TrunkConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outboundAddress, "outboundAddress");
        Objects.requireNonNull(transport, "transport");
        codecs = List.copyOf(codecs);
        Objects.requireNonNull(ringTimeout, "ringTimeout");
        allow = List.copyOf(allow);
        numbers = List.copyOf(numbers);
        headers = WarmlineConfig.orderedCopy(headers);
        Objects.requireNonNull(dtmfMode, "dtmfMode");
        if (!DtmfInfoCodec.DTMF_RELAY.equals(infoContentType) && !DtmfInfoCodec.DTMF.equals(infoContentType)) {
            throw new IllegalArgumentException("not a DTMF INFO content type: " + infoContentType);
        }
    }

    /** A trunk whose inbound calls are not recorded. */
    public TrunkConfig(String name, HostPort outboundAddress, Transport transport, HostPort outboundProxy,
            DigestCredentials auth, String callerId, List<String> codecs, Duration ringTimeout, List<Cidr> allow,
            List<NumberPattern> numbers, Map<String, String> headers, DtmfMode dtmfMode, String infoContentType) {
        this(name, outboundAddress, transport, outboundProxy, auth, callerId, codecs, ringTimeout, allow, numbers,
                headers, dtmfMode, infoContentType, false);
    }

    /** A trunk with the default DTMF settings. */
    public TrunkConfig(String name, HostPort outboundAddress, Transport transport, HostPort outboundProxy,
            DigestCredentials auth, String callerId, List<String> codecs, Duration ringTimeout, List<Cidr> allow,
            List<NumberPattern> numbers, Map<String, String> headers) {
        this(name, outboundAddress, transport, outboundProxy, auth, callerId, codecs, ringTimeout, allow, numbers,
                headers, DEFAULT_DTMF_MODE, DEFAULT_INFO_CONTENT_TYPE);
    }

    /** True when {@code source} is inside one of {@link #allow()}. */
    public boolean allows(InetAddress source) {
        for (Cidr c : allow) {
            if (c.contains(source)) {
                return true;
            }
        }
        return false;
    }

    /** True when one of {@link #numbers()} matches {@code number}. */
    public boolean mayCall(String number) {
        for (NumberPattern p : numbers) {
            if (p.matches(number)) {
                return true;
            }
        }
        return false;
    }
}
