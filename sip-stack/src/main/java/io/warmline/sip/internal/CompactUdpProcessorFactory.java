package io.warmline.sip.internal;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;

/**
 * The RI's default message processors, except UDP, which gets {@link CompactUdpMessageProcessor} when the stack
 * queues datagrams to a pool of THREAD_POOL_SIZE workers (as {@link StackProperties} sets it). Named by the
 * {@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY} property (see {@link StackProperties}).
 */
public final class CompactUdpProcessorFactory implements MessageProcessorFactory {

    /**
     * {@code SIPTransactionStack.udpFlag} (package-private): the RI's own factory sets it with the UDP processor, and
     * without it every UDP message leaves from a fresh ephemeral socket. Null if this RI version lacks it; then UDP
     * falls back to the RI's processor.
     */
    private static final Field UDP_FLAG = udpFlag();

    private final MessageProcessorFactory others = new OIOMessageProcessorFactory();

    /** As the RI's own factory does: UDP then leaves from the listening socket, so replies come back to it. */
    private static boolean markUdp(SIPTransactionStack stack) {
        try {
            UDP_FLAG.setBoolean(stack, true);
            return true;
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }

    private static Field udpFlag() {
        try {
            Field f = SIPTransactionStack.class.getDeclaredField("udpFlag");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
                                                   String transport) throws IOException {
        if ("udp".equalsIgnoreCase(transport) && stack instanceof SipStackImpl s && UDP_FLAG != null) {
            String workers = s.getConfigurationProperties().getProperty("gov.nist.javax.sip.THREAD_POOL_SIZE");
            if (workers != null && markUdp(stack)) {
                return new CompactUdpMessageProcessor(address, stack, port, s.getStackName(),
                        Integer.parseInt(workers.trim()));
            }
        }
        return others.createMessageProcessor(stack, address, port, transport);
    }
}
