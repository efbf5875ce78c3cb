package dev.payproc.risk;

/**
 * One thing wrong with a rule set: {@code field} is the JSON path at fault ({@code velocity.card.limit},
 * {@code merchants.m-1.scoreBands.review}), or null when the document as a whole is at fault.
 */
public record Violation(String field, String message) {}
