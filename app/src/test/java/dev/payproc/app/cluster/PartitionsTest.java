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
        // Rendezvous hashing is balanced in expectation; over 200 random three-member clusters no member of any of
        // them should hold fewer than 8 or more than 40 of the 64 partitions (21.3 expected), and on average each
        // within a partition of a third.
        int clusters = 200;
        double total = 0;
        for (int c = 0; c < clusters; c++) {
            List<String> members = nodes(3);
            for (String self : members) {
                int owned = Partitions.of(members, self).owned();
                assertTrue(owned >= 8 && owned <= 40, "owned " + owned);
                total += owned;
            }
        }
        assertEquals(Partitions.COUNT / 3.0, total / (clusters * 3), 1.0);
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
