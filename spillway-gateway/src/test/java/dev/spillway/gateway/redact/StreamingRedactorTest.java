package dev.spillway.gateway.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamingRedactorTest {
    private static final String KEY = "sk-spw-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    private static final String OPENAI_KEY = "sk-proj-ZYXWVUTSRQPONMLKJIHGFEDCBA987654";
    private static final String CARD = "4111 1111 1111 1111";
    private final Redactor redactor = new Redactor(Redactor.defaultRules());

    private String streamed(String text, int chunk) {
        StreamingRedactor s = new StreamingRedactor(redactor);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            byte[] piece = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk));
            out.writeBytes(s.feed(piece));
        }
        out.writeBytes(s.finish());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void defaultRulesRedactKeysEmailsAndValidCardNumbersOnly() {
        String text = "key " + KEY + " and " + OPENAI_KEY + ", mail jane.doe@example.co.uk, card " + CARD
                + ", order 1234 5678 9012 3456, Authorization: Bearer abcdefghijklmnopqrstuvwxyz end";
        assertThat(redactor.redact(text)).isEqualTo("key [REDACTED:api-key] and [REDACTED:api-key], mail "
                + "[REDACTED:email], card [REDACTED:card], order 1234 5678 9012 3456, Authorization: [REDACTED:bearer] end");
    }

    @Test
    void secretsSplitAcrossEveryPossibleChunkBoundaryAreStillRedacted() {
        String text = "{\"messages\":[{\"content\":\"my key is " + KEY + " mail me at a.b@example.com, card "
                + CARD + " — grüße 東京\"}]}";
        String expected = redactor.redact(text);
        assertThat(expected).doesNotContain(KEY).doesNotContain("a.b@example.com").doesNotContain(CARD);
        for (int chunk = 1; chunk <= 40; chunk++) assertThat(streamed(text, chunk)).as("chunk %d", chunk).isEqualTo(expected);
    }

    @Test
    void longBodiesStreamThroughWithBoundedHoldBack() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) sb.append("line ").append(i).append(" user").append(i).append("@corp.example ok\n");
        String text = sb.toString();
        StreamingRedactor s = new StreamingRedactor(redactor);
        List<Integer> released = new ArrayList<>();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 4096) {
            released.add(s.feed(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 4096))).length);
        }
        assertThat(released.subList(1, released.size() - 1)).allMatch(n -> n > 0);
        assertThat(streamed(text, 777)).isEqualTo(redactor.redact(text)).doesNotContain("@corp.example");
    }

    @Test
    void theCheapPrefiltersNeverHideAMatch() {
        assertThat(redactor.redact("AUTHORIZATION: BEARER abcdefghijklmnopqrstuvwxyz"))
                .isEqualTo("AUTHORIZATION: [REDACTED:bearer]");
        assertThat(new TextFacts("x BeArEr y").containsIgnoreCase("bearer")).isTrue();
        assertThat(new TextFacts("x bear er y").containsIgnoreCase("bearer")).isFalse();
        assertThat(new TextFacts("ask-me").contains("sk-")).isTrue();
        assertThat(new TextFacts("4111 1111-1111 1").longestDigitRun()).isEqualTo(13);
        assertThat(new TextFacts("\"created\":1763771234,\"id\":\"42\",\"n\":17").longestDigitRun()).isEqualTo(10);
        assertThat(new TextFacts("12  34").longestDigitRun()).isEqualTo(2);
        String plain = "{\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the meeting notes, please.\"}]}";
        assertThat(redactor.redact(plain)).isEqualTo(plain);
        for (int chunk = 1; chunk <= 10; chunk++) assertThat(streamed(plain, chunk)).isEqualTo(plain);
    }

    @Test
    void customPatternsApplyToo() {
        Redactor custom = new Redactor(List.of(Redactor.custom("ticket", "TICKET-[0-9]{4,8}")));
        assertThat(custom.redact("see TICKET-12345 now")).isEqualTo("see [REDACTED:ticket] now");
    }
}
