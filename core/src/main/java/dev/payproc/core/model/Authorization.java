package dev.payproc.core.model;

/** A validated authorization request with its card already tokenized at the edge. */
public record Authorization(
        String merchantId,
        String terminalId,
        long amount,
        String currency,
        CardOnFile card,
        EntryMode entryMode,
        String mcc,
        String merchantCountry,
        CardholderVerification cardholderVerification,
        CaptureMode capture) {}
