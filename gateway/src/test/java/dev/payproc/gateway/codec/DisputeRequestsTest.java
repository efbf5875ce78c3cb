package dev.payproc.gateway.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.port.Disputes.EvidenceFile;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DisputeRequestsTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-12-08");

    private static void assertInvalid(Decoded<?> d, String field) {
        assertFalse(d.isValid(), "accepted: " + d.value());
        assertEquals(field, d.invalid().field());
        assertFalse(d.invalid().message().isBlank());
    }

    @Test
    void anOpeningNeedsAReasonCodeAndADueDateNotPast() {
        Decoded<DisputeRequests.Opening> ok = DisputeRequests.opening(
                new JsonObject("{\"reasonCode\":\"10.4\",\"amount\":500,\"dueDate\":\"2026-12-08\"}"), TODAY);
        assertTrue(ok.isValid());
        assertEquals(new DisputeRequests.Opening("10.4", 500L, TODAY), ok.value());
        assertNull(
                DisputeRequests.opening(new JsonObject("{\"reasonCode\":\"4837\",\"dueDate\":\"2027-01-01\"}"), TODAY)
                        .value()
                        .amount(),
                "no amount: all that remains");
        assertInvalid(DisputeRequests.opening(new JsonObject("{\"dueDate\":\"2027-01-01\"}"), TODAY), "reasonCode");
        assertInvalid(
                DisputeRequests.opening(new JsonObject("{\"reasonCode\":4837,\"dueDate\":\"2027-01-01\"}"), TODAY),
                "reasonCode");
        assertInvalid(
                DisputeRequests.opening(new JsonObject("{\"reasonCode\":\"\",\"dueDate\":\"2027-01-01\"}"), TODAY),
                "reasonCode");
        assertInvalid(
                DisputeRequests.opening(new JsonObject("{\"reasonCode\":\"10.4\",\"dueDate\":\"2026-12-07\"}"), TODAY),
                "dueDate");
        assertInvalid(
                DisputeRequests.opening(new JsonObject("{\"reasonCode\":\"10.4\",\"dueDate\":\"08/12/2026\"}"), TODAY),
                "dueDate");
        assertInvalid(
                DisputeRequests.opening(new JsonObject("{\"reasonCode\":\"10.4\",\"dueDate\":20261209}"), TODAY),
                "dueDate");
        for (String amount : List.of("0", "-1", "1.5", "\"5\"", "1000000000000", "99999999999999999999")) {
            assertInvalid(
                    DisputeRequests.opening(
                            new JsonObject(
                                    "{\"reasonCode\":\"10.4\",\"dueDate\":\"2027-01-01\",\"amount\":" + amount + "}"),
                            TODAY),
                    "amount");
        }
        Decoded<DisputeRequests.Opening> unknown = DisputeRequests.opening(
                new JsonObject("{\"reasonCode\":\"10.4\",\"dueDate\":\"2027-01-01\",\"4111111111111111\":1}"), TODAY);
        assertInvalid(unknown, FieldNames.safe("4111111111111111"));
        assertFalse(
                unknown.invalid().field().contains("4111111111111111"), "an unknown field's name never echoes a PAN");
    }

    @Test
    void anOutcomeIsWonOrLost() {
        assertEquals(
                true,
                DisputeRequests.outcome(new JsonObject("{\"outcome\":\"won\"}")).value());
        assertEquals(
                false,
                DisputeRequests.outcome(new JsonObject("{\"outcome\":\"lost\"}"))
                        .value());
        assertInvalid(DisputeRequests.outcome(new JsonObject("{\"outcome\":\"WON\"}")), "outcome");
        assertInvalid(DisputeRequests.outcome(new JsonObject("{}")), "outcome");
        assertInvalid(DisputeRequests.outcome(new JsonObject("{\"outcome\":\"won\",\"x\":1}")), "x");
    }

    @Test
    void evidenceIsBoundedTextAndFileReferences() {
        Decoded<DisputeRequests.EvidenceBody> ok = DisputeRequests.evidence(new JsonObject(
                "{\"text\":\"receipt\",\"files\":[{\"name\":\"r.pdf\",\"reference\":\"s3://b/r.pdf\"}]}"));
        assertEquals(
                new DisputeRequests.EvidenceBody("receipt", List.of(new EvidenceFile("r.pdf", "s3://b/r.pdf"))),
                ok.value());
        assertTrue(DisputeRequests.evidence(new JsonObject().put("text", "x".repeat(4000)))
                .isValid());
        assertInvalid(DisputeRequests.evidence(new JsonObject().put("text", "x".repeat(4001))), "text");
        assertInvalid(DisputeRequests.evidence(new JsonObject("{\"text\":\"  \"}")), "text");
        assertInvalid(DisputeRequests.evidence(new JsonObject("{\"files\":{}}")), "files");
        assertInvalid(DisputeRequests.evidence(new JsonObject("{\"files\":[\"a\"]}")), "files[0]");
        assertInvalid(
                DisputeRequests.evidence(new JsonObject("{\"files\":[{\"name\":\"\",\"reference\":\"r\"}]}")),
                "files[0].name");
        assertInvalid(
                DisputeRequests.evidence(new JsonObject()
                        .put(
                                "files",
                                new io.vertx.core.json.JsonArray()
                                        .add(new JsonObject()
                                                .put("name", "n".repeat(201))
                                                .put("reference", "r")))),
                "files[0].name");
        io.vertx.core.json.JsonArray eleven = new io.vertx.core.json.JsonArray();
        for (int i = 0; i < 11; i++)
            eleven.add(new JsonObject().put("name", "n").put("reference", "r"));
        assertInvalid(DisputeRequests.evidence(new JsonObject().put("files", eleven)), "files");
    }

    @Test
    void aComplaintHasAReasonAndBoundedWords() {
        assertEquals(
                new DisputeRequests.ComplaintBody("not_received", ""),
                DisputeRequests.complaint(new JsonObject("{\"reason\":\"not_received\"}"))
                        .value());
        assertInvalid(DisputeRequests.complaint(new JsonObject("{}")), "reason");
        assertInvalid(DisputeRequests.complaint(new JsonObject("{\"reason\":\"Not received\"}")), "reason");
        assertInvalid(
                DisputeRequests.complaint(
                        new JsonObject().put("reason", "fraud").put("description", "x".repeat(4001))),
                "description");
        assertInvalid(
                DisputeRequests.complaint(new JsonObject("{\"reason\":\"fraud\",\"description\":7}")), "description");
    }

    @Test
    void freeTextWithACardNumberIsRefused() {
        for (String pasted : List.of("card 4111111111111111 was used", "4111 1111 1111 1111", "5555-5555-5555-4444")) {
            assertInvalid(DisputeRequests.evidence(new JsonObject().put("text", pasted)), "text");
            assertInvalid(
                    DisputeRequests.complaint(
                            new JsonObject().put("reason", "fraud").put("description", pasted)),
                    "description");
            assertInvalid(
                    DisputeRequests.evidence(new JsonObject()
                            .put(
                                    "files",
                                    new io.vertx.core.json.JsonArray()
                                            .add(new JsonObject()
                                                    .put("name", "a")
                                                    .put("reference", pasted)))),
                    "files[0].reference");
        }
        // Other numbers are evidence: an order number, a tracking number of 22 digits, a 16-digit non-Luhn number.
        for (String fine : List.of("order 123456", "tracking 9400111899223456789012", "4111111111111112")) {
            assertTrue(
                    DisputeRequests.evidence(new JsonObject().put("text", fine)).isValid(), fine);
        }
    }

    @Test
    void aClosingHasOneBoundedResolution() {
        String sentence = "Refunded in full after the carrier confirmed the loss.";
        assertEquals(
                sentence,
                DisputeRequests.closing(new JsonObject().put("resolution", sentence))
                        .value());
        String longest = "a".repeat(DisputeRequests.MAX_RESOLUTION);
        assertEquals(
                longest,
                DisputeRequests.closing(new JsonObject().put("resolution", longest))
                        .value());
        assertInvalid(DisputeRequests.closing(new JsonObject().put("resolution", longest + "a")), "resolution");
        assertInvalid(DisputeRequests.closing(new JsonObject()), "resolution");
        assertInvalid(DisputeRequests.closing(new JsonObject().putNull("resolution")), "resolution");
        assertInvalid(DisputeRequests.closing(new JsonObject().put("resolution", 7)), "resolution");
        assertInvalid(DisputeRequests.closing(new JsonObject().put("resolution", " \t ")), "resolution");
        assertInvalid(
                DisputeRequests.closing(new JsonObject().put("resolution", "ok").put("by", "me")), "by");
        Decoded<String> pan = DisputeRequests.closing(new JsonObject().put("resolution", "card 4111-1111-1111-1111"));
        assertInvalid(pan, "resolution");
        assertFalse(pan.invalid().message().contains("4111"));
    }
}
