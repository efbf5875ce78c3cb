package dev.payproc.core.model;

/** {@code AUTO}: a sale, authorized and captured at once. {@code MANUAL}: authorize now, capture later. */
public enum CaptureMode {
    AUTO,
    MANUAL
}
