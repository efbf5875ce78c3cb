package dev.payproc.gateway.codec;

/** Why a request body was refused: the JSON path of the field at fault (null for the body as a whole). */
public record Invalid(String field, String message) {}
