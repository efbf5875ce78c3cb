package dev.payproc.gateway.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payproc.core.model.Reason;
import dev.payproc.core.port.EventFeed;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A page of the event feed: every field of an event, in a fixed order, and the cursor fields of the page. */
class FeedJsonTest {
    private static final EventFeed.FeedEvent DECLINED = new EventFeed.FeedEvent(
            41,
            "AUTHORIZATION",
            "pay_01",
            1,
            "DECLINED",
            1_500_000,
            "EUR",
            1_500_000,
            "AUTO",
            "t-\"quoted\"",
            List.of(new Reason("AMOUNT_LIMIT", "amount 1500000 EUR is above the limit of 1000000 EUR")),
            Instant.parse("2026-12-07T10:11:12.345678Z"));
    private static final EventFeed.FeedEvent REFUND = new EventFeed.FeedEvent(
            42,
            "REFUND",
            "pay_02",
            3,
            "PARTIALLY_REFUNDED",
            250,
            "JPY",
            1000,
            "MANUAL",
            "t-2",
            List.of(),
            Instant.parse("2026-12-07T10:11:13Z"));

    @Test
    void anEventRendersEveryFieldInItsFixedOrder() {
        String page = FeedJson.page(new EventFeed.Page(List.of(DECLINED), 41), 40);
        assertEquals(
                "{\"events\":[{\"seq\":41,\"type\":\"AUTHORIZATION\",\"paymentId\":\"pay_01\",\"eventSeq\":1,"
                        + "\"status\":\"DECLINED\",\"amount\":1500000,\"currency\":\"EUR\",\"paymentAmount\":1500000,"
                        + "\"exponent\":2,\"decimal\":{\"amount\":\"15000.00\",\"paymentAmount\":\"15000.00\"},"
                        + "\"capture\":\"AUTO\",\"terminalId\":\"t-\\\"quoted\\\"\",\"reasons\":[{\"code\":\"AMOUNT_LIMIT\","
                        + "\"message\":\"amount 1500000 EUR is above the limit of 1000000 EUR\"}],"
                        + "\"createdAt\":\"2026-12-07T10:11:12.345Z\"}],\"next\":41,\"head\":41,\"more\":false}",
                page);
    }

    @Test
    void nextIsTheLastEventsSequenceAndMoreSaysWhetherTheHeadIsBeyondIt() {
        JsonObject page = new JsonObject(FeedJson.page(new EventFeed.Page(List.of(DECLINED, REFUND), 90), 40));
        JsonArray events = page.getJsonArray("events");
        assertEquals(2, events.size());
        assertEquals(42, events.getJsonObject(1).getLong("seq"));
        // A JPY refund: its amounts have no decimals.
        assertEquals(0, events.getJsonObject(1).getInteger("exponent"));
        assertEquals(
                new JsonObject().put("amount", "250").put("paymentAmount", "1000"),
                events.getJsonObject(1).getJsonObject("decimal"));
        assertEquals(new JsonArray(), events.getJsonObject(1).getJsonArray("reasons"));
        assertEquals(42, page.getLong("next"));
        assertEquals(90, page.getLong("head"));
        assertEquals(true, page.getBoolean("more"));
    }

    @Test
    void anEventInACodeNoLongerAcceptedKeepsItsMinorUnitsOnly() {
        EventFeed.FeedEvent withdrawn = new EventFeed.FeedEvent(
                5, "CAPTURE", "pay_03", 2, "CAPTURED", 100, "DEM", 100, "MANUAL", "t-3", List.of(), Instant.EPOCH);
        JsonObject e = new JsonObject(FeedJson.event(withdrawn));
        assertEquals(100, e.getLong("amount"));
        assertEquals(null, e.getValue("exponent"));
        assertEquals(null, e.getValue("decimal"));
    }

    @Test
    void anEmptyPageKeepsTheCursorAndShowsTheHead() {
        assertEquals(
                "{\"events\":[],\"next\":7,\"head\":7,\"more\":false}",
                FeedJson.page(new EventFeed.Page(List.of(), 7), 7));
        assertEquals(
                "{\"events\":[],\"next\":9,\"head\":7,\"more\":false}",
                FeedJson.page(new EventFeed.Page(List.of(), 7), 9),
                "a cursor beyond the head is answered as given");
    }

    private static EventFeed.FeedEvent event(long seq, String type, List<Reason> reasons) {
        return new EventFeed.FeedEvent(
                seq,
                type,
                "pay_01JD3X8Q2W5N6V7B8C9D0E1F2G",
                type.equals("AUTHORIZATION") ? 1 : 2,
                type.equals("AUTHORIZATION") ? "APPROVED" : "CAPTURED",
                1250,
                "EUR",
                1250,
                "MANUAL",
                "t-\"77\"",
                reasons,
                Instant.parse("2026-12-07T23:00:00.123Z"));
    }

    @Test
    void aWebhookBodyIsTheEventExactlyAsThePageRendersIt() {
        EventFeed.FeedEvent auth = event(7, "AUTHORIZATION", List.of(new Reason("STEP_UP", "über 500 \\ \"PIN\"")));
        EventFeed.FeedEvent capture = event(8, "CAPTURE", List.of());
        String page = FeedJson.page(new EventFeed.Page(List.of(auth, capture), 9), 6);
        assertEquals(
                "{\"events\":[" + FeedJson.event(auth) + "," + FeedJson.event(capture)
                        + "],\"next\":8,\"head\":9,\"more\":true}",
                page);
        assertEquals(
                "{\"seq\":8,\"type\":\"CAPTURE\",\"paymentId\":\"pay_01JD3X8Q2W5N6V7B8C9D0E1F2G\",\"eventSeq\":2,"
                        + "\"status\":\"CAPTURED\",\"amount\":1250,\"currency\":\"EUR\",\"paymentAmount\":1250,"
                        + "\"exponent\":2,\"decimal\":{\"amount\":\"12.50\",\"paymentAmount\":\"12.50\"},"
                        + "\"capture\":\"MANUAL\",\"terminalId\":\"t-\\\"77\\\"\",\"reasons\":[],"
                        + "\"createdAt\":\"2026-12-07T23:00:00.123Z\"}",
                FeedJson.event(capture));
    }
}
