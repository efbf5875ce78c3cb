package dev.payproc.core.model;

import java.time.Instant;

/** One state change of a payment, in order ({@code seq} from 1). */
public record PaymentEvent(int seq, String type, String status, long amount, Instant createdAt) {}
