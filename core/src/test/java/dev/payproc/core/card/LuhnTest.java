package dev.payproc.core.card;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LuhnTest {
    @Test
    void acceptsWellKnownTestCards() {
        for (String pan : new String[] {
            "4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "4000056655665556"
        }) {
            assertTrue(Luhn.isValid(pan), pan);
        }
    }

    @Test
    void rejectsAChangedDigitAndNonDigits() {
        assertFalse(Luhn.isValid("4111111111111112"));
        assertFalse(Luhn.isValid("4111111111111121"));
        assertFalse(Luhn.isValid("4111-1111-1111-1111"));
        assertFalse(Luhn.isValid("411111111111111a"));
        assertFalse(Luhn.isValid(""));
    }
}
