package dev.spillway.gateway.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DetectorsTest {
    private final Redactor all = new Redactor(concat(Detectors.secrets(), Detectors.pii()));

    private static List<Redactor.Rule> concat(List<Redactor.Rule> a, List<Redactor.Rule> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private List<String> rulesIn(String text) {
        return all.hits(text).stream().map(Redactor.Hit::rule).toList();
    }

    @Test
    void secretsOfEveryKindAreFound() {
        assertThat(rulesIn("key sk-proj-ZYXWVUTSRQPONMLKJIHGFEDCBA987654 ok")).containsExactly("api-key");
        assertThat(rulesIn("spillway sk-spw-AbCdEfGhIjKlMnOpQrStUv01")).containsExactly("api-key");
        assertThat(rulesIn("Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345")).containsExactly("bearer");
        assertThat(rulesIn("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"))
                .containsExactly("jwt");
        assertThat(rulesIn("aws AKIAIOSFODNN7EXAMPLE here")).containsExactly("aws-key");
        assertThat(rulesIn("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).containsExactly("aws-secret");
        assertThat(rulesIn("api-key: 0123456789abcdef0123456789abcdef")).containsExactly("azure-key");
        assertThat(rulesIn("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789")).containsExactly("github-token");
        assertThat(rulesIn("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY----- done"))
                .containsExactly("private-key");
    }

    @Test
    void personalDataIsFoundOnlyWhenItsCheckDigitIsRight() {
        assertThat(rulesIn("mail jane.doe@example.co.uk")).containsExactly("email");
        assertThat(rulesIn("call +44 20 7946 0958 or (415) 555-0100.")).containsExactly("phone", "phone");
        assertThat(rulesIn("card 4111 1111 1111 1111")).containsExactly("card");
        assertThat(rulesIn("card 4111 1111 1111 1112")).isEmpty();
        assertThat(rulesIn("iban GB82 WEST 1234 5698 7654 32 and DE89370400440532013000")).containsExactly("iban", "iban");
        assertThat(rulesIn("iban GB82 WEST 1234 5698 7654 33")).isEmpty();
        assertThat(rulesIn("ssn 123-45-6789")).containsExactly("ssn");
        assertThat(rulesIn("ssn 000-45-6789")).isEmpty();
        assertThat(rulesIn("nino AB 12 34 56 C")).containsExactly("nino");
        assertThat(rulesIn("dni 12345678Z")).containsExactly("dni");
        assertThat(rulesIn("dni 12345678A")).isEmpty();
        assertThat(rulesIn("hetu 131052-308T")).containsExactly("hetu");
        assertThat(rulesIn("hetu 131052-308U")).isEmpty();
        assertThat(rulesIn("pnr 811218-9876")).containsExactly("personnummer");
        assertThat(rulesIn("pnr 811218-9877")).isEmpty();
        assertThat(rulesIn("aadhaar 2341 2341 2346")).containsExactly("aadhaar");
        assertThat(rulesIn("aadhaar 2341 2341 2345")).isEmpty();
        assertThat(rulesIn("from 192.168.10.24. Also 2001:db8:85a3::8a2e:370:7334")).containsExactly("ip-address", "ip-address");
    }

    @Test
    void everydayNumbersAndCodeAreLeftAlone() {
        assertThat(rulesIn("Released 2024-10-21, version 1.2.3, order #12345, total 1,234.56 EUR")).isEmpty();
        assertThat(rulesIn("at 12:30:45 the MAC 00:1a:2b:3c:4d:5e, std::vector<int> and Vec::new()")).isEmpty();
        assertThat(rulesIn("use ask-me-anything and the task-runner; sha 0123456789abcdef0123456789abcdef")).isEmpty();
        assertThat(rulesIn("{\"created\":1763771234,\"id\":\"chatcmpl-42\",\"n\":17}")).isEmpty();
    }
    /**
     * A pre-check may only skip a regex that cannot match (a stream's hold-back relies on every raw
     * match, valid or not): checked on every labelled string of the corpus, whole and cut at every
     * position from either end, as a stream's held text is.
     */
    @Test
    void aRulesPreCheckIsTrueWheneverItsPatternMatches() throws Exception {
        String corpus;
        try (var in = DetectorsTest.class.getResourceAsStream("/safety/pii.tsv")) {
            corpus = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        int checked = 0;
        for (String line : corpus.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList()) {
            String text = "Answer: " + line.split("\t")[1].replace("\\n", "\n") + " End.";
            for (int cut = 0; cut < text.length(); cut++) {
                for (String part : List.of(text.substring(0, cut + 1), text.substring(cut))) {
                    for (Redactor.Rule r : all.rules()) {
                        boolean matches = r.pattern().matcher(part).find()
                                || r.open().map(o -> o.matcher(part).find()).orElse(false);
                        assertThat(!matches || r.mayMatch().test(new TextFacts(part))).as("%s on %s", r.name(), part).isTrue();
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(100_000);
    }
}
