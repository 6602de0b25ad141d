package dev.spillway.gateway.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
}
