package dev.payproc.app.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Which member owns which card. A card's partition is a fixed function of its fingerprint ({@link #COUNT} of them,
 * the same in every process: {@code String.hashCode} is specified); a partition's owner is the member with the
 * highest rendezvous weight for it over the sorted live members, so every member that sees the same membership
 * computes the same owners, and a join or a leave moves only the partitions the joining or leaving member wins or
 * held. Immutable: a membership change builds a new table.
 */
public final class Partitions {
    public static final int COUNT = 64;

    private final List<String> members;
    private final String self;
    private final int[] owner;
    private final boolean[] local;
    private final int owned;

    private Partitions(List<String> members, String self) {
        this.members = members;
        this.self = self;
        this.owner = new int[COUNT];
        this.local = new boolean[COUNT];
        long[] memberHash = new long[members.size()];
        for (int m = 0; m < memberHash.length; m++) memberHash[m] = fnv64(members.get(m));
        int mine = 0;
        for (int p = 0; p < COUNT; p++) {
            int best = -1;
            long bestWeight = 0;
            for (int m = 0; m < memberHash.length; m++) {
                long w = mix(memberHash[m] ^ (0x9E3779B97F4A7C15L * (p + 1)));
                if (best < 0 || Long.compareUnsigned(w, bestWeight) > 0) {
                    best = m;
                    bestWeight = w;
                }
            }
            owner[p] = best;
            local[p] = best >= 0 && members.get(best).equals(self);
            if (local[p]) mine++;
        }
        this.owned = mine;
    }

    /** The table for these live members (any order; duplicates dropped) as seen by {@code self}. */
    public static Partitions of(List<String> members, String self) {
        List<String> sorted = new ArrayList<>(new java.util.TreeSet<>(members));
        return new Partitions(List.copyOf(sorted), self);
    }

    /** The partition of a card fingerprint: the same in every process. */
    public static int partitionOf(String fingerprint) {
        return Math.floorMod(fingerprint.hashCode(), COUNT);
    }

    /** True when {@code self} owns the partition (also when there is no member at all: nobody else could). */
    public boolean isLocal(int partition) {
        return owner[partition] < 0 || local[partition];
    }

    /** The owner's node id, or null with no members. */
    public String ownerOf(int partition) {
        int m = owner[partition];
        return m < 0 ? null : members.get(m);
    }

    public List<String> members() {
        return members;
    }

    public String self() {
        return self;
    }

    /** Partitions {@code self} owns. */
    public int owned() {
        return owned;
    }

    private static long fnv64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finalizer: spreads a combined hash over all 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
