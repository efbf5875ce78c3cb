package dev.payproc.gateway.codec;

/** The outcome of decoding a body: a request, or why it is invalid. */
public record Decoded<T>(T value, Invalid invalid) {
    public static <T> Decoded<T> ok(T value) {
        return new Decoded<>(value, null);
    }

    public static <T> Decoded<T> invalid(String field, String message) {
        return new Decoded<>(null, new Invalid(field, message));
    }

    public boolean isValid() {
        return invalid == null;
    }
}
