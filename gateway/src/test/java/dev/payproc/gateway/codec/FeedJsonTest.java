package dev.payproc.gateway.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payproc.core.model.Reason;
import dev.payproc.core.port.EventFeed;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedJsonTest {
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
                        + "\"capture\":\"MANUAL\",\"terminalId\":\"t-\\\"77\\\"\",\"reasons\":[],"
                        + "\"createdAt\":\"2026-12-07T23:00:00.123Z\"}",
                FeedJson.event(capture));
    }
}
