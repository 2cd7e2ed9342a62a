package io.warmline.sip.internal;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import java.net.DatagramPacket;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The queue between the UDP reader and the RI's worker threads, split into one bounded lane per worker. A datagram
 * goes to the lane chosen by the hash of its Call-ID ({@link CallIdScan}); one without a Call-ID goes to lane 0 and
 * is left to the parser to reject. Each worker thread takes only from its own lane, bound to it on its first
 * blocking take, so the requests of one dialog are processed one after another in arrival order (an ACK is always
 * processed before the re-INVITE sent right after it, RFC 3261 §14.1), while different calls still run in parallel.
 *
 * <p>The RI's single queue is unbounded, guarded only by its congestion auditor, which drops datagrams that waited
 * longer than {@code CONGESTION_CONTROL_TIMEOUT}. Here a full lane refuses the datagram ({@link #fullDrops()}) and
 * a datagram found older than that timeout when a worker takes it is dropped ({@link #expiredDrops()}); both counts,
 * each lane's depth and the deepest any lane has been ({@link #peakDepth()}) are exported as metrics, with how long
 * the workers hold each datagram ({@link #busyNanos()}, {@link #slow()}, {@link #slowestNanos()}): a worker's lane
 * waits while it works on one, so these show when one message holds up the calls of its lane.
 *
 * <p>Thread-safe: the reader offers, each worker takes from its own lane.
 */
final class CallIdLanes extends AbstractQueue<DatagramQueuedMessageDispatch>
        implements BlockingQueue<DatagramQueuedMessageDispatch> {

    /** A datagram a worker holds longer than this counts as slow (100 ms: a normal one takes well under 1 ms). */
    static final long SLOW_NANOS = 100_000_000L;

    private final List<ArrayBlockingQueue<DatagramQueuedMessageDispatch>> lanes;
    private final ThreadLocal<BlockingQueue<DatagramQueuedMessageDispatch>> own = new ThreadLocal<>();
    /** When the calling worker last got a datagram, until it asks for the next one; -1 while it waits. */
    private final ThreadLocal<long[]> takenAt = ThreadLocal.withInitial(() -> new long[] {-1});
    private final LongSupplier nanos;
    private final LongAdder processed = new LongAdder();
    private final LongAdder busyNanos = new LongAdder();
    private final LongAdder slow = new LongAdder();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final AtomicInteger bound = new AtomicInteger();
    private final LongSupplier millis;
    private final long maxWaitMillis;
    private final AtomicLong full = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicInteger peak = new AtomicInteger();
    private final int capacity;

    /**
     * @param lanes         one per worker thread (at least 1)
     * @param capacity      datagrams each lane holds (at least 1)
     * @param maxWaitMillis a datagram that waited longer is dropped when taken; 0 or less: never
     * @param millis        the clock of {@link DatagramQueuedMessageDispatch#getReceptionTime()}
     * @param nanos         a monotonic clock, for how long a worker holds each datagram
     */
    CallIdLanes(int lanes, int capacity, long maxWaitMillis, LongSupplier millis, LongSupplier nanos) {
        if (lanes < 1 || capacity < 1) {
            throw new IllegalArgumentException("lanes and capacity must be at least 1: " + lanes + ", " + capacity);
        }
        List<ArrayBlockingQueue<DatagramQueuedMessageDispatch>> l = new ArrayList<>(lanes);
        for (int i = 0; i < lanes; i++) {
            l.add(new ArrayBlockingQueue<>(capacity));
        }
        this.lanes = List.copyOf(l);
        this.capacity = capacity;
        this.maxWaitMillis = maxWaitMillis;
        this.millis = millis;
        this.nanos = nanos;
    }

    /** The lane a datagram of these bytes goes to. */
    int laneOf(byte[] data, int offset, int length) {
        int h = CallIdScan.hash(data, offset, length);
        return h < 0 ? 0 : h % lanes.size();
    }

    /** Datagrams refused because their lane was full. */
    long fullDrops() {
        return full.get();
    }

    /** Datagrams dropped because they waited longer than the congestion timeout. */
    long expiredDrops() {
        return expired.get();
    }

    /** Number of lanes (one per worker). */
    int laneCount() {
        return lanes.size();
    }

    /** Datagrams each lane holds. */
    int capacity() {
        return capacity;
    }

    /** Datagrams waiting in lane {@code lane} now. */
    int depth(int lane) {
        return lanes.get(lane).size();
    }

    /** The most datagrams any lane has held at once since start (counted when one is queued). */
    int peakDepth() {
        return peak.get();
    }

    /** Datagrams handed to a worker (not dropped). */
    long processed() {
        return processed.sum();
    }

    /**
     * Nanoseconds workers spent on the datagrams they finished: from handing one over until the worker asked for
     * the next (parsing, the stack's processing, the listener, the answers sent; waiting for a core included).
     */
    long busyNanos() {
        return busyNanos.sum();
    }

    /** Datagrams a worker spent more than {@link #SLOW_NANOS} on: each held up its whole lane that long. */
    long slow() {
        return slow.sum();
    }

    /** The longest a worker has spent on one datagram since start. */
    long slowestNanos() {
        return slowestNanos.get();
    }

    /** The calling worker finished the datagram it was last given, if any. */
    private void finished() {
        long[] at = takenAt.get();
        if (at[0] < 0) {
            return;
        }
        long held = nanos.getAsLong() - at[0];
        at[0] = -1;
        busyNanos.add(held);
        if (held > SLOW_NANOS) {
            slow.increment();
        }
        if (held > slowestNanos.get()) {
            slowestNanos.accumulateAndGet(held, Math::max);
        }
    }

    private DatagramQueuedMessageDispatch handOver(DatagramQueuedMessageDispatch d) {
        if (d != null) {
            processed.increment();
            takenAt.get()[0] = nanos.getAsLong();
        }
        return d;
    }

    /** A refused datagram found its lane holding {@link #capacity}, whatever the depth read after the last offer. */
    private void refused() {
        full.incrementAndGet();
        if (peak.get() < capacity) {
            peak.accumulateAndGet(capacity, Math::max);
        }
    }

    private void notePeak(BlockingQueue<DatagramQueuedMessageDispatch> lane) {
        int depth = lane.size();
        if (depth > peak.get()) {
            peak.accumulateAndGet(depth, Math::max);
        }
    }

    private BlockingQueue<DatagramQueuedMessageDispatch> laneFor(DatagramQueuedMessageDispatch d) {
        DatagramPacket p = d.packet;
        return lanes.get(laneOf(p.getData(), p.getOffset(), p.getLength()));
    }

    /** The calling worker's lane, bound on its first call. */
    private BlockingQueue<DatagramQueuedMessageDispatch> ownLane() {
        BlockingQueue<DatagramQueuedMessageDispatch> q = own.get();
        if (q == null) {
            int i = bound.getAndIncrement();
            if (i >= lanes.size()) {
                throw new IllegalStateException("more worker threads than lanes (" + lanes.size() + ")");
            }
            q = lanes.get(i);
            own.set(q);
        }
        return q;
    }

    private boolean stale(DatagramQueuedMessageDispatch d) {
        if (maxWaitMillis > 0 && millis.getAsLong() - d.getReceptionTime() > maxWaitMillis) {
            expired.incrementAndGet();
            return true;
        }
        return false;
    }

    @Override
    public boolean offer(DatagramQueuedMessageDispatch d) {
        BlockingQueue<DatagramQueuedMessageDispatch> lane = laneFor(d);
        if (lane.offer(d)) {
            notePeak(lane);
            return true;
        }
        refused();
        return false;
    }

    @Override
    public boolean offer(DatagramQueuedMessageDispatch d, long timeout, TimeUnit unit) throws InterruptedException {
        BlockingQueue<DatagramQueuedMessageDispatch> lane = laneFor(d);
        if (lane.offer(d, timeout, unit)) {
            notePeak(lane);
            return true;
        }
        refused();
        return false;
    }

    @Override
    public void put(DatagramQueuedMessageDispatch d) throws InterruptedException {
        BlockingQueue<DatagramQueuedMessageDispatch> lane = laneFor(d);
        lane.put(d);
        notePeak(lane);
    }

    /** Called by a worker thread: the next fresh datagram of its own lane. */
    @Override
    public DatagramQueuedMessageDispatch take() throws InterruptedException {
        BlockingQueue<DatagramQueuedMessageDispatch> q = ownLane();
        finished();
        while (true) {
            DatagramQueuedMessageDispatch d = q.take();
            if (!stale(d)) {
                return handOver(d);
            }
        }
    }

    /** Called by a worker thread: the next fresh datagram of its own lane, or null after the timeout. */
    @Override
    public DatagramQueuedMessageDispatch poll(long timeout, TimeUnit unit) throws InterruptedException {
        BlockingQueue<DatagramQueuedMessageDispatch> q = ownLane();
        finished();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            DatagramQueuedMessageDispatch d = q.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (d == null || !stale(d)) {
                return handOver(d);
            }
        }
    }

    /** The calling worker's lane if it has one, else the first non-empty lane; never binds a lane. */
    @Override
    public DatagramQueuedMessageDispatch poll() {
        BlockingQueue<DatagramQueuedMessageDispatch> q = own.get();
        if (q != null) {
            return q.poll();
        }
        for (BlockingQueue<DatagramQueuedMessageDispatch> l : lanes) {
            DatagramQueuedMessageDispatch d = l.poll();
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    @Override
    public DatagramQueuedMessageDispatch peek() {
        BlockingQueue<DatagramQueuedMessageDispatch> q = own.get();
        if (q != null) {
            return q.peek();
        }
        for (BlockingQueue<DatagramQueuedMessageDispatch> l : lanes) {
            DatagramQueuedMessageDispatch d = l.peek();
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    @Override
    public int size() {
        int n = 0;
        for (BlockingQueue<DatagramQueuedMessageDispatch> l : lanes) {
            n += l.size();
        }
        return n;
    }

    @Override
    public boolean isEmpty() {
        for (BlockingQueue<DatagramQueuedMessageDispatch> l : lanes) {
            if (!l.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int remainingCapacity() {
        int n = 0;
        for (BlockingQueue<DatagramQueuedMessageDispatch> l : lanes) {
            n += l.remainingCapacity();
        }
        return n;
    }

    @Override
    public void clear() {
        for (BlockingQueue<DatagramQueuedMessageDispatch> l : lanes) {
            l.clear();
        }
    }

    @Override
    public int drainTo(Collection<? super DatagramQueuedMessageDispatch> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super DatagramQueuedMessageDispatch> c, int maxElements) {
        int n = 0;
        for (BlockingQueue<DatagramQueuedMessageDispatch> l : lanes) {
            if (n >= maxElements) {
                break;
            }
            n += l.drainTo(c, maxElements - n);
        }
        return n;
    }

    /** A weakly consistent view of all lanes in lane order. */
    @Override
    public Iterator<DatagramQueuedMessageDispatch> iterator() {
        List<DatagramQueuedMessageDispatch> all = new ArrayList<>();
        for (BlockingQueue<DatagramQueuedMessageDispatch> l : lanes) {
            all.addAll(l);
        }
        return java.util.Collections.unmodifiableList(all).iterator();
    }
}
