package io.warmline.config;

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
 */
public record TrunkConfig(String name, HostPort outboundAddress, Transport transport, HostPort outboundProxy,
        DigestCredentials auth, String callerId, List<String> codecs, Duration ringTimeout, List<Cidr> allow,
        List<NumberPattern> numbers, Map<String, String> headers) {

    public TrunkConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outboundAddress, "outboundAddress");
        Objects.requireNonNull(transport, "transport");
        codecs = List.copyOf(codecs);
        Objects.requireNonNull(ringTimeout, "ringTimeout");
        allow = List.copyOf(allow);
        numbers = List.copyOf(numbers);
        headers = WarmlineConfig.orderedCopy(headers);
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
