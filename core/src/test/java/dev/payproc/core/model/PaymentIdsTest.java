package dev.payproc.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaymentIdsTest {
    @Test
    void idsAreUlidsThatSortByTime() {
        String earlier = PaymentIds.newPaymentId(1_700_000_000_000L);
        String later = PaymentIds.newPaymentId(1_700_000_000_001L);
        assertTrue(earlier.matches("pay_[0-9A-HJKMNP-TV-Z]{26}"), earlier);
        assertTrue(earlier.substring(4, 14).compareTo(later.substring(4, 14)) < 0);
        assertTrue(PaymentIds.newPaymentId(0).startsWith("pay_0000000000"));
    }

    @Test
    void idsDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) seen.add(PaymentIds.newPaymentId(1_700_000_000_000L));
        assertEquals(100_000, seen.size());
    }

    @Test
    void authCodesAreSixCharacters() {
        for (int i = 0; i < 1000; i++) assertTrue(PaymentIds.newAuthCode().matches("[0-9A-Z]{6}"));
    }

    @Test
    void currencyExponentsFollowIso4217() {
        assertEquals(2, Currencies.exponent("EUR"));
        assertEquals(0, Currencies.exponent("JPY"));
        assertEquals(3, Currencies.exponent("BHD"));
        assertEquals(-1, Currencies.exponent("XAU"), "no minor unit: cannot carry an integer amount");
        assertEquals(-1, Currencies.exponent("eur"));
        assertEquals(-1, Currencies.exponent("ABC"));
        assertEquals(-1, Currencies.exponent(null));
    }

    @Test
    void errorBodiesEscapeJson() {
        assertEquals(
                "{\"error\":\"e\",\"message\":\"say \\\"hi\\\"\\n\",\"field\":\"a.b\"}",
                Errors.body("e", "say \"hi\"\n", "a.b"));
        assertEquals("{\"error\":\"e\",\"message\":\"m\"}", Errors.body("e", "m", null));
    }
}
