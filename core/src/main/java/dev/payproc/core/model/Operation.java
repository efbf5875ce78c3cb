package dev.payproc.core.model;

/** The operations on an existing payment. */
public enum Operation { CAPTURE, VOID, REFUND }
