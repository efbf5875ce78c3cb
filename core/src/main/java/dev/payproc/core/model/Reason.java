package dev.payproc.core.model;

/** One rule that fired: a stable machine code and a sentence a person can read. */
public record Reason(String code, String message) {}
