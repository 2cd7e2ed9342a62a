package io.warmline.sip.internal;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RI's UDP listener with two changes. Its receive loop reads a datagram into one reused buffer of the maximum
 * message size and queues a copy of exactly its length: the RI allocates a fresh buffer of the maximum message size
 * (64 KB by default) for every datagram, which under load was most of the heap churn of the whole process and made
 * young collections copy queued, mostly empty, 64 KB arrays. And its one queue, which all THREAD_POOL_SIZE workers
 * took from, is replaced by {@link CallIdLanes}, one bounded lane per worker chosen by Call-ID: with one queue an
 * ACK and the re-INVITE sent right after it could be taken up by two workers in either order, and a re-INVITE
 * processed first found the dialog unconfirmed (491). Everything else (the socket, the worker threads that parse
 * and dispatch) is the RI's.
 */
final class CompactUdpMessageProcessor extends UDPMessageProcessor {

    private static final Logger log = LoggerFactory.getLogger(CompactUdpMessageProcessor.class);
    private static final int MAX_ERRORS_LOGGED = 10;
    /** Datagrams each worker's lane holds; the RI's single queue is unbounded. */
    static final int LANE_CAPACITY = 1000;

    private final String stackName;
    private final int workers;
    private final CallIdLanes lanes;
    private int errorsLogged;
    private long expiredLogged;

    /**
     * @param workers the stack's THREAD_POOL_SIZE: threads that parse and dispatch queued datagrams (at least 1)
     */
    CompactUdpMessageProcessor(InetAddress address, SIPTransactionStack stack, int port, String stackName,
                               int workers) throws IOException {
        super(address, stack, port);
        if (workers < 1) {
            throw new IllegalArgumentException("THREAD_POOL_SIZE must be at least 1: " + workers);
        }
        this.stackName = stackName;
        this.workers = workers;
        // The RI's workers take from this field (UDPMessageChannel.run: messageQueue.take()). Its congestion auditor,
        // started by the super constructor, keeps watching the RI's queue, which stays empty; the lanes drop
        // datagrams older than the same timeout themselves.
        this.lanes = new CallIdLanes(workers, LANE_CAPACITY, stack.getStackCongestionControlTimeout(),
                System::currentTimeMillis, System::nanoTime);
        this.messageQueue = lanes;
    }

    /** The lanes between this port's reader and its workers (their counts and depths, for metrics). */
    CallIdLanes lanes() {
        return lanes;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        messageChannels = new java.util.LinkedList<>();
        for (int i = 0; i < workers; i++) {
            messageChannels.add(new WorkerChannel(getSIPStack(), this, stackName + "-UDPMessageChannelThread-" + i));
        }
        byte[] buffer = new byte[getMaximumMessageSize()];
        DatagramPacket receive = new DatagramPacket(buffer, buffer.length);
        while (isRunning) {
            try {
                receive.setLength(buffer.length);
                sock.receive(receive);
                int length = receive.getLength();
                DatagramPacket packet = new DatagramPacket(Arrays.copyOf(buffer, length), length,
                        receive.getAddress(), receive.getPort());
                if (!lanes.offer(new DatagramQueuedMessageDispatch(packet, System.currentTimeMillis()))) {
                    logDrop();
                }
                logExpired();
            } catch (SocketTimeoutException e) {
                // no datagram within the socket's timeout: poll isRunning again
            } catch (SocketException e) {
                if (!isRunning) {
                    return;
                }
                logError(e);
            } catch (IOException | RuntimeException e) {
                logError(e);
            }
        }
    }

    /** Logs the 1st, 2nd, 4th, 8th... drop: a flood does not flood the log. */
    private void logDrop() {
        long full = lanes.fullDrops();
        if (Long.bitCount(full) == 1) {
            log.warn("UDP port {}: a worker's queue is full ({} datagrams); {} datagram(s) dropped so far", getPort(),
                    LANE_CAPACITY, full);
        }
    }

    /** As {@link #logDrop}, for datagrams the workers dropped because they waited too long. */
    private void logExpired() {
        long expired = lanes.expiredDrops();
        if (Long.highestOneBit(expired) > Long.highestOneBit(expiredLogged)) {
            log.warn("UDP port {}: {} datagram(s) dropped so far after waiting longer than {} ms for a worker",
                    getPort(), expired, getSIPStack().getStackCongestionControlTimeout());
        }
        expiredLogged = expired;
    }

    private void logError(Exception e) {
        if (errorsLogged < MAX_ERRORS_LOGGED) {
            errorsLogged++;
            log.warn("UDP receive on port {} failed ({}); continuing{}", getPort(), e.toString(),
                    errorsLogged == MAX_ERRORS_LOGGED ? " (further errors are not logged)" : "");
        }
    }

    /** The RI's worker: takes queued datagrams, parses and dispatches them. */
    private static final class WorkerChannel extends UDPMessageChannel {
        WorkerChannel(SIPTransactionStack stack, UDPMessageProcessor processor, String threadName) {
            super(stack, processor, threadName);
        }
    }
}
