package dev.payproc.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class RequestGuardsTest {
    @Test
    void aCardNumberInAnUnknownPathIsNotEchoed() {
        for (String path : new String[] {
            "/v1/cards/4111111111111111",
            "/v1/cards/4111 1111 1111 1111",
            "/v1/cards/4111%201111%201111%201111",
            "/v1/cards/4111%2D1111%2D1111%2D1111",
            "/v1/cards/4111-1111-1111-1111/x",
            "/v1/4111/1111/1111/1111",
            "/v1/cards/4111+1111+1111+1111"
        }) {
            String message = RequestGuards.notFoundMessage("GET", path);
            assertFalse(message.matches(".*[0-9]{4}.*[0-9]{4}.*[0-9]{4}.*"), path + " -> " + message);
            assertFalse(message.contains("4111"), path + " -> " + message);
        }
        assertEquals(
                "no such endpoint: GET /v1/cards/****************",
                RequestGuards.notFoundMessage("GET", "/v1/cards/4111111111111111"));
        assertEquals("no such endpoint: POST /v2/payments", RequestGuards.notFoundMessage("POST", "/v2/payments"));
        assertEquals(
                "no such endpoint: GET (the path is not valid percent-encoding)",
                RequestGuards.notFoundMessage("GET", "/v1/4111%2D1111%zz"));
    }
}
