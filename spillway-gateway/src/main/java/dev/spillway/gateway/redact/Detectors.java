package dev.spillway.gateway.redact;

import dev.spillway.gateway.redact.Redactor.Rule;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The built-in rules, in two families: {@link #secrets()} (API keys and tokens, private key blocks)
 * and {@link #pii()} (e-mail, phone, payment card, IBAN, national ids, IP addresses). Numbers with a
 * check digit are only reported when it is right; each rule has a cheap pre-check (its marker
 * character or word, or the digits it needs in one run) so text that cannot match skips the regex. Rules that may run longer than a stream's hold-back window
 * carry an {@code open} pattern (see {@link Rule}). Immutable constants.
 */
public final class Detectors {
    public static final Rule API_KEY = new Rule("api-key",
            Pattern.compile("\\bsk-(?:spw-|proj-|ant-|svcacct-|admin-)?[A-Za-z0-9_\\-]{16,512}"), s -> true,
            s -> s.contains("sk-"), open("\\bsk-[A-Za-z0-9_\\-]*\\z"));
    public static final Rule BEARER = new Rule("bearer",
            Pattern.compile("(?i)\\bbearer\\s+[A-Za-z0-9._~+/\\-]{16,1000}=*"), s -> true,
            s -> s.containsIgnoreCase("bearer"), open("(?i)\\bbearer\\s+[A-Za-z0-9._~+/\\-]*\\z"));
    public static final Rule JWT = new Rule("jwt",
            Pattern.compile("\\beyJ[A-Za-z0-9_\\-]{8,}\\.eyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]*"), s -> true,
            s -> s.contains("eyJ"), open("\\beyJ[A-Za-z0-9_\\-]*(?:\\.[A-Za-z0-9_\\-]*){0,2}\\z"));
    public static final Rule AWS_KEY = new Rule("aws-key",
            Pattern.compile("\\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\\b"), s -> true,
            s -> s.contains("IA") || s.contains("ACCA"));
    public static final Rule AWS_SECRET = new Rule("aws-secret",
            Pattern.compile("(?i)aws_?secret_?access_?key[\"']?\\s*[:=]\\s*[\"']?[A-Za-z0-9/+=]{40}"), s -> true,
            s -> s.containsIgnoreCase("secret"));
    public static final Rule AZURE_KEY = new Rule("azure-key",
            Pattern.compile("(?i)(?:api[-_ ]?key|subscription[-_ ]?key|ocp-apim-subscription-key)[\"']?\\s*[:=]\\s*[\"']?"
                    + "[0-9a-f]{32}\\b"), s -> true, s -> s.containsIgnoreCase("key"));
    public static final Rule GITHUB_TOKEN = new Rule("github-token",
            Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})"), s -> true,
            s -> s.contains("github_pat_") || s.contains("_") && s.contains("gh"));
    public static final Rule PRIVATE_KEY = new Rule("private-key",
            Pattern.compile("-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*?"
                    + "(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\\z)"), s -> true,
            s -> s.contains("-----BEGIN"));

    public static final Rule EMAIL = new Rule("email", Pattern.compile(
            "[A-Za-z0-9._%+\\-]{1,64}@[A-Za-z0-9\\-]{1,63}(?:\\.[A-Za-z0-9\\-]{1,63}){0,8}\\.[A-Za-z]{2,24}"), s -> true,
            s -> s.contains("@"), open("[A-Za-z0-9._%+\\-]{1,64}@[A-Za-z0-9.\\-]*\\z"));
    public static final Rule PHONE = new Rule("phone", Pattern.compile(
            "(?<![\\w+.\\-/]|[0-9] )(?:\\+[1-9]\\d{0,2}[ .\\-]?(?:\\(\\d{1,4}\\)[ .\\-]?)?\\d{1,4}(?:[ .\\-]?\\d{2,4}){1,4}"
                    + "|\\(\\d{3}\\)[ .\\-]?\\d{3}[ .\\-]\\d{4}|\\d{3}[.\\-]\\d{3}[.\\-]\\d{4}"
                    + "|0\\d{2,4}[ \\-]\\d{3,4}[ \\-]?\\d{3,4})(?![\\w\\-/]|\\.\\d| [0-9])"),
            Detectors::phoneDigits, s -> s.longestDigitRun() >= 3);
    public static final Rule CARD = new Rule("card",
            Pattern.compile("(?<![0-9])[0-9](?:[ \\-]?[0-9]){12,18}(?![0-9])"), Checksums::luhn,
            s -> s.longestDigitRun() >= 13);
    public static final Rule IBAN = new Rule("iban",
            Pattern.compile("\\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b"), Checksums::iban,
            s -> s.longestDigitRun() >= 2);
    public static final Rule SSN = new Rule("ssn",
            Pattern.compile("(?<![\\w\\-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\w\\-])"), s -> true,
            s -> s.longestDigitRun() >= 9);
    public static final Rule NINO = new Rule("nino", Pattern.compile(
            "\\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]\\b"),
            s -> true, s -> s.longestDigitRun() >= 6);
    public static final Rule DNI = new Rule("dni",
            Pattern.compile("\\b(?:[0-9]{8}|[XYZ]-?[0-9]{7})-?[A-HJ-NP-TV-Z]\\b"), Checksums::dni,
            s -> s.longestDigitRun() >= 7);
    public static final Rule PERSONNUMMER = new Rule("personnummer",
            Pattern.compile("(?<![\\w\\-])(?:19|20)?[0-9]{6}[-+][0-9]{4}(?![\\w\\-])"), Checksums::personnummer,
            s -> s.longestDigitRun() >= 6);
    public static final Rule HETU = new Rule("hetu",
            Pattern.compile("\\b[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-FHJ-NPR-Y]\\b"), Checksums::hetu,
            s -> s.longestDigitRun() >= 6);
    public static final Rule AADHAAR = new Rule("aadhaar",
            Pattern.compile("(?<![0-9][ \\-]?)[2-9][0-9]{3} ?[0-9]{4} ?[0-9]{4}(?![ \\-]?[0-9])"), Checksums::verhoeff,
            s -> s.longestDigitRun() >= 12);
    public static final Rule IPV4 = new Rule("ip-address", Pattern.compile(
            "(?<![\\w.])(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}(?!\\w|\\.\\d)"),
            Detectors::hostAddress, s -> s.digitsAround('.'));
    public static final Rule IPV6 = new Rule("ip-address",
            Pattern.compile("(?i)(?<![0-9a-z:])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?![0-9a-z:])"),
            Detectors::ipv6, s -> s.twoColonsWithin(5));

    private Detectors() {
    }

    public static List<Rule> secrets() {
        return List.of(API_KEY, BEARER, JWT, AWS_KEY, AWS_SECRET, AZURE_KEY, GITHUB_TOKEN, PRIVATE_KEY);
    }

    public static List<Rule> pii() {
        return List.of(EMAIL, PHONE, CARD, IBAN, SSN, NINO, DNI, PERSONNUMMER, HETU, AADHAAR, IPV4, IPV6);
    }

    private static Optional<Pattern> open(String regex) {
        return Optional.of(Pattern.compile(regex));
    }

    /** E.164 allows at most 15 digits; fewer than 8 is a short code or a quantity, not a phone number. */
    private static boolean phoneDigits(CharSequence s) {
        int n = Checksums.digits(s).length();
        return n >= 8 && n <= 15;
    }

    /** Not a netmask ({@code 255.…}), the unspecified address {@code 0.…} or loopback {@code 127.…}: none names a host. */
    private static boolean hostAddress(CharSequence s) {
        String t = s.toString();
        return !t.startsWith("0.") && !t.startsWith("255.") && !t.startsWith("127.");
    }

    /** RFC 4291 text form: eight groups, or fewer around exactly one {@code ::}. */
    private static boolean ipv6(CharSequence s) {
        String t = s.toString();
        int gap = t.indexOf("::");
        if (gap != t.lastIndexOf("::") || t.contains(":::")) return false;
        String[] groups = t.split(":", -1);
        int filled = 0;
        for (String g : groups) if (!g.isEmpty()) filled++;
        if (gap < 0) return groups.length == 8 && filled == 8;
        return filled > 0 && filled <= 7;
    }
}
