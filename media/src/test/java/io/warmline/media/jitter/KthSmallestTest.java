package io.warmline.media.jitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KthSmallestTest {

    @Test
    void agreesWithASortForEveryRankOfRandomSortedReversedAndConstantHistories() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 400; round++) {
            int n = 1 + random.nextInt(JitterBuffer.HISTORY);
            long[] values = new long[n];
            int shape = round % 4;
            for (int i = 0; i < n; i++) {
                values[i] = switch (shape) {
                    case 0 -> random.nextLong(-50_000_000L, 50_000_000L);
                    case 1 -> i * 1_000L;
                    case 2 -> (n - i) * 1_000L;
                    default -> random.nextInt(3); // many equal values
                };
            }
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            for (int k = 0; k < n; k++) {
                long[] work = Arrays.copyOf(values, JitterBuffer.HISTORY);
                assertEquals(sorted[k], KthSmallest.select(work, n, k), "rank " + k + " of " + n + ", shape " + shape);
                long[] rest = Arrays.copyOf(work, n);
                Arrays.sort(rest);
                assertEquals(Arrays.toString(sorted), Arrays.toString(rest), "the range keeps its values");
            }
        }
    }

    @Test
    void refusesRanksOutsideTheRange() {
        long[] a = new long[4];
        assertThrows(IllegalArgumentException.class, () -> KthSmallest.select(a, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> KthSmallest.select(a, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> KthSmallest.select(a, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> KthSmallest.select(a, 2, -1));
    }
}
