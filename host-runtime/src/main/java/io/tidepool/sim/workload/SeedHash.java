package io.tidepool.sim.workload;

/**
 * Randomness without state: a number decided by (seed, key) alone, so a workload can ask "is there
 * a burst in this time bucket?" at any time, in any order, and always hear the same answer.
 */
final class SeedHash {
    private SeedHash() {
    }

    /** SplitMix64's finaliser over the seed and the key: every input bit moves every output bit. */
    static long mix(long seed, long key) {
        long z = seed * 0x9E3779B97F4A7C15L + key + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A number in [0, 1) decided by (seed, key). */
    static double unit(long seed, long key) {
        return (mix(seed, key) >>> 11) * 0x1.0p-53;
    }

    /** A 64-bit key for a name, the same on every JVM (FNV-1a over its UTF-16 units). */
    static long of(String name) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }
}
