package io.warmline.media.jitter;

/**
 * The k-th smallest of a range of longs by quickselect (Hoare), in expected linear time. The jitter buffer needs
 * one quantile of its transit history after every packet; sorting the whole history for it was about 2 % of a
 * loaded node's CPU.
 */
final class KthSmallest {

    private static final int INSERTION_BELOW = 12;

    private KthSmallest() {
    }

    /**
     * Returns the {@code k}-th smallest (0-based) of {@code a[0..n)}, reordering that range.
     *
     * @throws IllegalArgumentException unless {@code 0 <= k < n <= a.length}
     */
    static long select(long[] a, int n, int k) {
        if (n < 1 || n > a.length || k < 0 || k >= n) {
            throw new IllegalArgumentException("k " + k + " of " + n + " values in an array of " + a.length);
        }
        int lo = 0;
        int hi = n - 1;
        while (hi - lo >= INSERTION_BELOW) {
            int mid = (lo + hi) >>> 1;
            // median of three as the pivot, so that sorted and reversed histories stay linear
            if (a[mid] < a[lo]) {
                swap(a, mid, lo);
            }
            if (a[hi] < a[lo]) {
                swap(a, hi, lo);
            }
            if (a[hi] < a[mid]) {
                swap(a, hi, mid);
            }
            long pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            // a[lo..j] <= pivot <= a[i..hi], and everything strictly between j and i equals the pivot
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            long v = a[i];
            int j = i - 1;
            while (j >= lo && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
        return a[k];
    }

    private static void swap(long[] a, int i, int j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
