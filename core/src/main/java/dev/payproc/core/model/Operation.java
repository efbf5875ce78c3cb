package dev.payproc.core.model;

/** The operations on an existing payment. {@code EXPIRE} is the processor's own: an authorization left uncaptured too long. */
public enum Operation {
    CAPTURE,
    VOID,
    REFUND,
    EXPIRE
}
