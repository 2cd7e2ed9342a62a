package io.warmline.bridge.it;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks free loopback ports for the peers of one test run. Ports come from 20000-32767, below Linux's ephemeral
 * range, so no socket the kernel numbers itself can take one between the check and the peer's bind. A port is
 * handed out at most once per JVM.
 */
final class Ports {
    private static final int LOW = 20000;
    private static final int HIGH = 32767;
    private static final Set<Integer> handedOut = new HashSet<>();

    private Ports() {}

    /** A port free for both UDP and TCP (a SIP listen point). */
    static synchronized int sip(String ip) {
        return block(ip, 1, true);
    }

    /** The first of {@code count} consecutive UDP ports (SIPp's media port uses port, port+1 and port+2). */
    static synchronized int udpBlock(String ip, int count) {
        return block(ip, count, false);
    }

    private static int block(String ip, int count, boolean tcpToo) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 500; attempt++) {
            int first = LOW + random.nextInt(HIGH - LOW - count);
            boolean free = true;
            for (int p = first; p < first + count && free; p++) {
                free = !handedOut.contains(p) && udpFree(ip, p) && (!tcpToo || tcpFree(ip, p));
            }
            if (free) {
                for (int p = first; p < first + count; p++) {
                    handedOut.add(p);
                }
                return first;
            }
        }
        throw new IllegalStateException("no block of " + count + " free ports on " + ip);
    }

    private static boolean udpFree(String ip, int port) {
        try (DatagramSocket s = new DatagramSocket(null)) {
            s.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean tcpFree(String ip, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
