package dev.spillway.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import org.junit.jupiter.api.Test;

class RequestHashTest {
    static ObjectNode body(String json) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    static final String SYS = "{\"role\":\"system\",\"content\":\"Answer from the handbook.\"}";

    @Test
    void theSemanticContextIgnoresOnlyTheLastUserTurnsText() throws Exception {
        ObjectNode a = body("{\"messages\":[" + SYS + ",{\"role\":\"user\",\"content\":\"How many vacation days?\"}],\"temperature\":0}");
        ObjectNode b = body("{\"messages\":[" + SYS + ",{\"role\":\"user\",\"content\":\"Days of holiday per year?\"}],\"temperature\":0}");
        ObjectNode otherSystem = body("{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"How many vacation days?\"}],\"temperature\":0}");
        ObjectNode otherTools = body("{\"messages\":[" + SYS + ",{\"role\":\"user\",\"content\":\"How many vacation days?\"}],"
                + "\"temperature\":0,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\"}}]}");
        assertThat(RequestHash.of("gpt-4o", a)).isNotEqualTo(RequestHash.of("gpt-4o", b));
        assertThat(RequestHash.context("gpt-4o", a)).isEqualTo(RequestHash.context("gpt-4o", b))
                .isNotEqualTo(RequestHash.context("gpt-4o", otherSystem))
                .isNotEqualTo(RequestHash.context("gpt-4o", otherTools))
                .isNotEqualTo(RequestHash.context("gpt-4o-mini", a))
                .isNotEqualTo(RequestHash.of("gpt-4o", a));
        assertThat(RequestHash.lastUserText(a)).isEqualTo("How many vacation days?");
    }

    @Test
    void theLastUserTextReadsTextPartsAndIsEmptyAfterAnAssistantTurn() throws Exception {
        assertThat(RequestHash.lastUserText(body("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"a\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}},{\"type\":\"text\",\"text\":\"b\"}]}]}")))
                .isEqualTo("ab");
        assertThat(RequestHash.lastUserText(body("{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":\"a\"}]}"))).isEmpty();
    }

    @Test
    void numbersCompareByValueAndStringsAreNotNumbers() throws Exception {
        assertThat(RequestHash.of("d", body("{\"temperature\":0,\"top_p\":1}")))
                .isEqualTo(RequestHash.of("d", body("{\"top_p\":1.0,\"temperature\":0.00}")))
                .isNotEqualTo(RequestHash.of("d", body("{\"temperature\":\"0\",\"top_p\":1}")));
        assertThat(RequestHash.of("d", body("{\"stop\":[\"ab\",\"c\"]}")))
                .isNotEqualTo(RequestHash.of("d", body("{\"stop\":[\"a\",\"bc\"]}")));
    }

    /**
     * Pinned to the digest of the first implementation (a byte array per string, BigDecimal for
     * every number), so the faster paths for ASCII text and integers leave every key as it was:
     * a shared Redis cache keeps serving across an upgrade.
     */
    @Test
    void theKeyOfABodyIsTheSameAsTheFirstImplementationGave() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "Summarise the notes. ".repeat(30)
                + "\"},{\"role\":\"user\",\"content\":\"h\u00e9llo w\u00f6rld \u2713\"}],\"max_tokens\":64,"
                + "\"temperature\":0.0,\"seed\":12345678901,\"top_p\":1}";

        assertThat(RequestHash.of("gpt-4o", (ObjectNode) Json.MAPPER.readTree(body)))
                .isEqualTo("a76a74d8e6f5a5e0af728c831c8484f6be119ad2294897e7e28b5cfb929688a0");
    }
}
