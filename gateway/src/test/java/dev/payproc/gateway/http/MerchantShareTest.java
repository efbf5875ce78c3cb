package dev.payproc.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MerchantShareTest {
    private final Admission admission = new Admission(10, 0.5);

    @Test
    void aMerchantAtItsShareIsRefusedWhileAnotherIsAdmittedAndReleasingRestores() {
        AtomicInteger a = admission.merchantSlots("m-a");
        AtomicInteger b = admission.merchantSlots("m-b");
        for (int i = 0; i < 5; i++) assertNull(admission.tryAdmit(a));
        assertSame(GatewayErrors.OVERLOADED, admission.tryAdmit(a), "half of 10 is m-a's share");
        assertEquals(5, admission.inFlight(), "a refused request holds no slot");
        assertNull(admission.tryAdmit(b), "another merchant is still admitted");

        admission.release(a);
        assertNull(admission.tryAdmit(a), "an answered request frees its merchant's slot");
        for (int i = 0; i < 5; i++) admission.release(a);
        admission.release(b);
        assertEquals(0, admission.inFlight());
        assertEquals(0, a.get());
        assertEquals(0, b.get());
    }

    @Test
    void theShareFollowsTheLimitInForce() {
        AtomicInteger a = admission.merchantSlots("m-a");
        admission.effectiveLimit(4);
        assertNull(admission.tryAdmit(a));
        assertNull(admission.tryAdmit(a));
        assertSame(GatewayErrors.OVERLOADED, admission.tryAdmit(a));
    }

    @Test
    void aShareOfOneCountsNoMerchant() {
        Admission off = new Admission(10, 1);
        assertNull(off.merchantSlots("m-a"));
        for (int i = 0; i < 10; i++) assertNull(off.tryAdmit(off.merchantSlots("m-a")));
    }

    @Test
    void merchantsBeyondTheBoundShareOneCount() {
        for (int i = 0; i < Admission.MAX_COUNTED_MERCHANTS; i++) admission.merchantSlots("m-" + i);
        AtomicInteger late = admission.merchantSlots("m-late");
        assertSame(late, admission.merchantSlots("m-later"), "the map stops growing");
        assertSame(admission.merchantSlots("m-0"), admission.merchantSlots("m-0"));
    }
}
