package dev.payproc.webhooks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class WebhookUrlsTest {
    @Test
    void httpsAnywhereAndHttpToLoopbackAreAllowed() {
        for (String ok : new String[] {
            "https://hooks.example.com/payproc",
            "https://hooks.example.com:8443/a/b?x=1",
            "HTTPS://Example.COM/",
            "https://203.0.113.7/hook",
            "http://127.0.0.1:9000/hook",
            "http://127.255.0.1/hook",
            "http://localhost:8080/",
            "http://LOCALHOST/x",
            "http://[::1]:9000/hook"
        }) {
            assertNull(WebhookUrls.refusal(ok), ok);
        }
    }

    @Test
    void everythingElseIsRefusedWithASentenceThatDoesNotEchoTheUrl() {
        for (String bad : new String[] {
            "",
            "http://example.com/hook",
            "http://10.0.0.1/hook",
            "http://128.0.0.1/hook",
            "http://127.0.0.1.example.com/hook",
            "http://127.0.0.256/",
            "http://127.1/",
            "http://[::2]/",
            "http://localhost.example.com/",
            "ftp://example.com/",
            "file:///etc/passwd",
            "mailto:ops@example.com",
            "javascript:alert(1)",
            "/relative/path",
            "example.com/hook",
            "https://user:pass@example.com/hook",
            "https://user@example.com/hook",
            "https://example.com/hook#frag",
            "https:///nohost",
            "https://exa mple.com/",
            "https://example.com/" + "a".repeat(WebhookUrls.MAX_LENGTH)
        }) {
            String why = WebhookUrls.refusal(bad);
            assertNotNull(why, bad);
            if (bad.length() > 8) assertFalse(why.contains(bad), why);
        }
    }
}
