package io.warmline.sip.internal;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;

/**
 * The RI's default message processors, except UDP, which gets {@link CompactUdpMessageProcessor} when the stack
 * queues datagrams to a pool of THREAD_POOL_SIZE workers (as {@link StackProperties} sets it). Named by the
 * {@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY} property (see {@link StackProperties}).
 */
public final class CompactUdpProcessorFactory implements MessageProcessorFactory {

    private final MessageProcessorFactory others = new OIOMessageProcessorFactory();

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
                                                   String transport) throws IOException {
        if ("udp".equalsIgnoreCase(transport) && stack instanceof SipStackImpl s) {
            String workers = s.getConfigurationProperties().getProperty("gov.nist.javax.sip.THREAD_POOL_SIZE");
            if (workers != null) {
                return new CompactUdpMessageProcessor(address, stack, port, s.getStackName(),
                        Integer.parseInt(workers.trim()));
            }
        }
        return others.createMessageProcessor(stack, address, port, transport);
    }
}
