package dev.payproc.core.model;

/** How the cardholder proved presence; {@code NONE} is what step-up challenges react to. */
public enum CardholderVerification {
    NONE,
    PIN,
    SIGNATURE,
    BIOMETRIC,
    THREE_DS
}
