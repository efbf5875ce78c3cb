package dev.payproc.core.model;

/** The mutable part of a payment, as the lifecycle state machine reads and writes it. */
public record PaymentState(
        String status,
        long amount,
        long capturedAmount,
        long refundedAmount,
        CaptureMode captureMode,
        int lastEventSeq) {}
