package io.warmline.sip.internal;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import java.util.regex.Pattern;

/**
 * The {@code maddr} of a request's top Via, kept only when it is an IP address. RFC 3261 §18.2.2 sends a UDP
 * response to that address; the RI resolves a host name there with a blocking {@code InetAddress.getByName} on the
 * thread sending the response, which for the answers given at once is the SIP worker of the request's lane, so one
 * request naming a slow or unreachable name would stall every call of its lane for the resolver's timeout. Without a
 * usable {@code maddr} the response goes to {@code received} or the sent-by, as for any request; {@code maddr} in a
 * Via is meant for multicast (RFC 3261 §18.1.1), whose groups are addresses.
 */
final class ViaMaddr {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private ViaMaddr() {
    }

    /**
     * Removes a host-name {@code maddr} from a request's top Via.
     *
     * @return whether one was removed
     */
    static boolean dropHostName(SIPMessage m) {
        if (!(m instanceof SIPRequest r)) {
            return false;
        }
        Via top = r.getTopmostVia();
        if (top == null) {
            return false;
        }
        String maddr = top.getMAddr();
        if (maddr == null || isAddress(maddr)) {
            return false;
        }
        top.removeParameter(Via.MADDR);
        return true;
    }

    /** A dotted-quad IPv4 address or an IPv6 reference (a host name never holds a colon); nothing is looked up. */
    static boolean isAddress(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        var m = IPV4.matcher(host);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }
}
