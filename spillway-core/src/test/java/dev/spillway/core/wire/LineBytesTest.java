package dev.spillway.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineBytesTest {
    @Test
    void holdsExactlyWhatWasWrittenAcrossWrites() {
        LineBytes out = new LineBytes();
        out.write("ab".getBytes(StandardCharsets.US_ASCII), 0, 2);
        out.write('c');
        out.write("xdex".getBytes(StandardCharsets.US_ASCII), 1, 2);
        assertThat(new String(out.bytes(), StandardCharsets.US_ASCII)).isEqualTo("abcde");
    }

    @Test
    void generatorOutputLongerThanItsBufferArrivesWhole() throws IOException {
        String text = "é".repeat(10_000);
        LineBytes out = new LineBytes();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("t", text);
            g.writeEndObject();
        }
        assertThat(out.bytes()).isEqualTo(Json.MAPPER.writeValueAsBytes(Json.MAPPER.createObjectNode().put("t", text)));
    }
}
