package dev.payproc.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The card ownership table: one owner per partition, the same everywhere, balanced, and moving little. */
class PartitionsTest {
    private static List<String> nodes(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(UUID.randomUUID().toString());
        return out;
    }

    private static String[] owners(Partitions t) {
        String[] o = new String[Partitions.COUNT];
        for (int p = 0; p < o.length; p++) o[p] = t.ownerOf(p);
        return o;
    }

    @Test
    void everyMemberComputesTheSameOwnersWhateverTheOrderOfItsList() {
        List<String> members = nodes(5);
        String[] seen = owners(Partitions.of(members, members.get(0)));
        for (String self : members) {
            List<String> shuffled = new ArrayList<>(members);
            java.util.Collections.shuffle(shuffled);
            Partitions t = Partitions.of(shuffled, self);
            assertEquals(List.of(seen), List.of(owners(t)));
            for (int p = 0; p < Partitions.COUNT; p++) assertEquals(seen[p].equals(self), t.isLocal(p));
        }
    }

    @Test
    void ownedCountsAddUpToAllPartitions() {
        List<String> members = nodes(3);
        int sum = 0;
        for (String self : members) sum += Partitions.of(members, self).owned();
        assertEquals(Partitions.COUNT, sum);
    }

    @Test
    void balancedOverManyMemberships() {
        // Rendezvous hashing gives each of 3 members each partition with chance 1/3, so a member's share of the 64
        // is binomial (mean 21.3, sd 3.8). Over 200 three-member clusters of random-looking ids (seeded, so the run
        // is the same every time): no member below 6 or above 37 (4 sd), and at least 95 % within 14..29 (2 sd).
        java.util.Random random = new java.util.Random(19);
        int clusters = 200, within = 0;
        for (int c = 0; c < clusters; c++) {
            List<String> members = new ArrayList<>();
            for (int i = 0; i < 3; i++) members.add(new UUID(random.nextLong(), random.nextLong()).toString());
            for (String self : members) {
                int owned = Partitions.of(members, self).owned();
                assertTrue(owned >= 6 && owned <= 37, "owned " + owned);
                if (owned >= 14 && owned <= 29) within++;
            }
        }
        assertTrue(within >= 0.95 * clusters * 3, within + " of " + clusters * 3 + " members within 2 sd");
    }

    @Test
    void aJoinMovesOnlyPartitionsToTheNewMemberAndALeaveOnlyTheLeaversPartitions() {
        for (int round = 0; round < 50; round++) {
            List<String> members = nodes(3);
            String[] before = owners(Partitions.of(members, members.get(0)));
            String joiner = UUID.randomUUID().toString();
            List<String> grown = new ArrayList<>(members);
            grown.add(joiner);
            String[] after = owners(Partitions.of(grown, joiner));
            int moved = 0;
            for (int p = 0; p < Partitions.COUNT; p++) {
                if (!before[p].equals(after[p])) {
                    assertEquals(joiner, after[p], "a join moves a partition only to the joiner");
                    moved++;
                }
            }
            assertTrue(moved > 0 && moved < Partitions.COUNT / 2, "moved " + moved);
            String leaver = members.get(1);
            List<String> shrunk = new ArrayList<>(members);
            shrunk.remove(leaver);
            String[] left = owners(Partitions.of(shrunk, members.get(0)));
            for (int p = 0; p < Partitions.COUNT; p++) {
                if (!before[p].equals(leaver)) assertEquals(before[p], left[p], "only the leaver's partitions move");
                else assertFalse(left[p].equals(leaver));
            }
        }
    }

    @Test
    void partitionOfACardIsAFixedFunctionOfItsFingerprint() {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            String fp = UUID.randomUUID().toString();
            int p = Partitions.partitionOf(fp);
            assertTrue(p >= 0 && p < Partitions.COUNT);
            seen.put(fp, p);
        }
        seen.forEach((fp, p) -> assertEquals(p, Partitions.partitionOf(new String(fp.toCharArray()))));
        // String.hashCode is specified: this value holds in every JVM, so every process agrees.
        assertEquals(Math.floorMod("abc".hashCode(), 64), Partitions.partitionOf("abc"));
        assertEquals(96354 % 64, Partitions.partitionOf("abc"));
    }

    @Test
    void withoutMembersEveryPartitionIsLocal() {
        Partitions t = Partitions.of(List.of(), "me");
        for (int p = 0; p < Partitions.COUNT; p++) {
            assertTrue(t.isLocal(p));
            assertNull(t.ownerOf(p));
        }
        Partitions alone = Partitions.of(List.of("me"), "me");
        assertEquals(Partitions.COUNT, alone.owned());
    }
}
