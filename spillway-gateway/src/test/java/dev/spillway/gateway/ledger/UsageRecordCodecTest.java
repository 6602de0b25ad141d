package dev.spillway.gateway.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UsageRecordCodecTest {
    @Test
    void spoolLineKeepsItsFieldsInTheirOrder() {
        String line = new String(UsageRecordCodec.encode(UsageRecords.of("req-1")), StandardCharsets.UTF_8);
        assertEquals("{\"id\":\"req-1\",\"at\":\"2026-11-10T12:00:00Z\",\"app\":\"billing\",\"team\":\"team-billing\","
                + "\"user\":\"user-billing\",\"key\":\"sk-spw-ab12\",\"deployment\":\"gpt-4o\",\"backend\":\"backend-a\","
                + "\"region\":\"eastus\",\"model\":\"gpt-4o-2024-08-06\",\"in\":100,\"out\":20,\"cached\":0,"
                + "\"reasoning\":0,\"estimated\":false,\"cost_nanos\":0,\"latency_ns\":480000000,\"status\":200,"
                + "\"attempts\":1,\"streamed\":true,\"cache_hit\":false,\"trace\":\"\",\"priority\":\"interactive\","
                + "\"batch_discount_nanos\":0,\"safety\":\"\",\"saved_nanos\":0,\"ttft_ns\":120000000}", line);
    }

    @Test
    void decodingAnEncodedLineGivesTheSameRecordWithOrWithoutTimeToFirstToken() throws IOException {
        UsageRecord withTtft = UsageRecords.of("req-2");
        UsageRecord without = new UsageRecord("req-3", UsageRecords.NOV, "a", "t", "u", "k", "d", "b", "r", "m",
                1, 2, 3, 4, true, 5, Optional.empty(), Duration.ofNanos(6), 429, 2, false, true, "trace", "low",
                7, "injection:block pii:redact", 8);
        for (UsageRecord r : new UsageRecord[] {withTtft, without}) {
            byte[] line = UsageRecordCodec.encode(r);
            assertEquals(r, UsageRecordCodec.decode(line, 0, line.length));
        }
    }

    @Test
    void lineWithoutATextFieldIsRefusedByName() {
        byte[] line = "{\"id\":\"req-4\",\"at\":\"2026-11-10T12:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> UsageRecordCodec.decode(line, 0, line.length));
        assertEquals("spool line lacks text field 'app'", e.getMessage());
    }

    @Test
    void lineOfAnOlderSpoolGetsTheDefaultsOfTheFieldsItLacks() throws IOException {
        byte[] line = ("{\"id\":\"req-5\",\"at\":\"2026-11-10T12:00:00Z\",\"app\":\"a\",\"team\":\"t\",\"user\":\"u\","
                + "\"key\":\"k\",\"deployment\":\"d\",\"backend\":\"b\",\"region\":\"r\",\"model\":\"m\",\"in\":7,"
                + "\"trace\":\"tr\",\"ttft_ns\":null}").getBytes(StandardCharsets.UTF_8);
        UsageRecord r = UsageRecordCodec.decode(line, 0, line.length);
        assertEquals(new UsageRecord("req-5", UsageRecords.NOV, "a", "t", "u", "k", "d", "b", "r", "m", 7, 0, 0, 0,
                false, 0, Optional.empty(), Duration.ZERO, 0, 0, false, false, "tr", "interactive", 0, "", 0), r);
    }

    @Test
    void repeatedKeyKeepsItsLastValueAndUnknownFieldsAreSkipped() throws IOException {
        String base = new String(UsageRecordCodec.encode(UsageRecords.of("req-6")), StandardCharsets.UTF_8);
        byte[] line = base.replace("{\"id\":\"req-6\",", "{\"id\":\"old\",\"extra\":{\"in\":[1,2]},\"id\":\"req-6\",")
                .replace("\"in\":100,", "\"in\":1,\"in\":100,").getBytes(StandardCharsets.UTF_8);
        assertEquals(UsageRecords.of("req-6"), UsageRecordCodec.decode(line, 0, line.length));
    }

    @Test
    void lineWithANonTextTextFieldOrTrailingContentIsRefused() {
        String good = new String(UsageRecordCodec.encode(UsageRecords.of("req-7")), StandardCharsets.UTF_8);
        byte[] numericTeam = good.replace("\"team\":\"team-billing\"", "\"team\":5").getBytes(StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> UsageRecordCodec.decode(numericTeam, 0, numericTeam.length));
        assertEquals("spool line lacks text field 'team'", e.getMessage());
        byte[] trailing = (good + " {}").getBytes(StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> UsageRecordCodec.decode(trailing, 0, trailing.length));
    }

    @Test
    void decodeReadsOnlyTheGivenRangeOfTheBuffer() throws IOException {
        byte[] one = UsageRecordCodec.encode(UsageRecords.of("req-8"));
        byte[] framed = new byte[one.length + 4];
        framed[0] = 'x';
        framed[1] = '\n';
        System.arraycopy(one, 0, framed, 2, one.length);
        framed[one.length + 2] = '\n';
        framed[one.length + 3] = '{';
        assertEquals(UsageRecords.of("req-8"), UsageRecordCodec.decode(framed, 2, one.length));
    }

    @Test
    void lineLongerThanTheGeneratorsBufferIsWrittenWhole() throws IOException {
        String user = "u".repeat(20_000) + "é";
        UsageRecord r = new UsageRecord("req-9", UsageRecords.NOV, "a", "t", user, "k", "d", "b", "r", "m",
                1, 2, 0, 0, false, 3, Optional.empty(), Duration.ofNanos(4), 200, 1, false, false, "tr");
        byte[] line = UsageRecordCodec.encode(r);
        assertEquals(line.length, new String(line, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8).length);
        assertEquals('}', line[line.length - 1]);
        assertEquals(r, UsageRecordCodec.decode(line, 0, line.length));
    }

    @Test
    void instantsReadAsInstantParseReadsThem() {
        for (String s : new String[] {"2026-11-10T12:00:00Z", "2026-12-07T12:00:00.123Z", "2026-12-07T12:00:00.123456Z",
                "2026-12-07T23:59:59.999999999Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                "2024-02-29T01:02:03.000000001Z", "1969-12-31T23:59:59.5Z", "2026-12-07T12:00:00.1234Z",
                "2026-12-07T12:00:00+01:00", "+10000-01-01T00:00:00Z", "2026-12-07T24:00:00Z"}) {
            assertEquals(Instant.parse(s), UsageRecordCodec.instant(s), s);
        }
        for (Instant i : new Instant[] {Instant.EPOCH, Instant.ofEpochSecond(1_765_108_800L, 123_400_000),
                Instant.ofEpochSecond(-86_401, 7), Instant.parse("2026-12-07T12:00:00.123456789Z")}) {
            assertEquals(i, UsageRecordCodec.instant(i.toString()), i.toString());
        }
    }

    @Test
    void oddOrMalformedInstantsGetInstantParsesAnswerOrItsException() {
        for (String s : new String[] {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-07T12:60:00Z",
                "2026-12-07T12:00:0xZ", "2026-12-07 12:00:00Z", "2025-02-29T00:00:00Z", "2026-12-07T12:00:00",
                "2026-12-07T12:00:00.Z", "2026-12-07T12:00:61Z", "2026-12-07T12:00:00.1234567890Z", ""}) {
            Class<? extends Exception> expected = null;
            Instant parsed = null;
            try {
                parsed = Instant.parse(s);
            } catch (RuntimeException e) {
                expected = e.getClass();
            }
            if (expected == null) assertEquals(parsed, UsageRecordCodec.instant(s), s);
            else assertThrows(expected, () -> UsageRecordCodec.instant(s), s);
        }
    }
}
