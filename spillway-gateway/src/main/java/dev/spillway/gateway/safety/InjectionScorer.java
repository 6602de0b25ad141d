package dev.spillway.gateway.safety;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scores a text for prompt injection and jailbreak attempts, 0 to 1, by weighted signals from known
 * attack families. Signals of one family combine as independent evidence ({@code 1 - Π(1 - w)}),
 * and so do the families. Text is scored as written (for chat-template delimiters), lower-cased
 * with zero-width characters and letter-spacing removed, with leetspeak undone, and once more for
 * each base64 or hex run that decodes to readable text. Immutable, thread-safe.
 */
public final class InjectionScorer {
    /** The attack families, named as findings report them. */
    public enum Family { OVERRIDE, ROLE_PLAY, EXTRACTION, DELIMITER, INDIRECT, ENCODED }

    /** The score and the family that contributed most. */
    public record Score(double value, Family top) {
        static final Score ZERO = new Score(0, Family.OVERRIDE);
    }

    private record Signal(Family family, Pattern pattern, double weight) {}

    private static final String AI = "(?:ai |language |the |an? )?(?:ai|assistant|chatbot|llm|language model|gpt"
            + "|copilot|bot|agent|model)s?";
    private static final String RULES = "(?:instructions?|prompts?|rules|directions?|guidelines|commands?|context"
            + "|constraints|restrictions|programming|guidance|orders|directives|policies|policy|persona|criteria"
            + "|system message|training)";
    private static final String MODE = "(?:developer|god|jailbreak|dan|unrestricted|unfiltered|uncensored|sudo|evil"
            + "|chaos|opposite)";
    private static final String OVERRIDE_VERB = "(?:ignore|disregard|forget|skip|bypass|override|drop|abandon|neglect"
            + "|omit|discard)";
    private static final List<Signal> RAW = List.of(
            s(Family.DELIMITER, "<\\|im_start\\|>\\s*(?:system|assistant|developer)|<</?sys>>", .85),
            s(Family.DELIMITER, "<\\|(?:im_start|im_end|system|endoftext|end_of_turn|start_header_id|eot_id)\\|>"
                    + "|\\[/?(?i:inst)\\]", .35),
            s(Family.DELIMITER, "\\}\\s*\\]?\\s*,?\\s*\\{\\s*\"role\"\\s*:\\s*\"(?:system|developer)\"", .85),
            s(Family.INDIRECT, "!\\[[^\\]]*\\]\\(https?://[^)\\s]*[?&][A-Za-z_]+=[^)]*\\)", .55));
    private static final List<Signal> NORMAL = List.of(
            s(Family.OVERRIDE, "\\b" + OVERRIDE_VERB + " (?:all |any |the |your |my |these |those |every |of )*"
                    + "(?:previous|prior|above|earlier|preceding|former|original|initial|system|existing|old|current"
                    + "|given|developer'?s?)(?: \\w+){0,2} " + RULES, .9),
            s(Family.OVERRIDE, "\\b" + OVERRIDE_VERB + " (?:all |any |the |of |other |these )*your (?:[\\w-]+ ){0,2}"
                    + RULES, .8),
            s(Family.OVERRIDE, "\\b" + OVERRIDE_VERB + " (?:all |any |of )*the " + RULES + "\\b", .4),
            s(Family.OVERRIDE, "\\b" + RULES + " (?:that )?(?:you were|you've been|you have been|you received|you got"
                    + "|you are running with|you're running with)\\b", .35),
            s(Family.OVERRIDE, "\\b(?:ignore|disregard|forget) (?:everything|all)(?: (?:that )?(?:you were|you've been"
                    + "|you have been|i|you) (?:told|said|given|instructed|taught))? ?(?:before|above|so far|previously"
                    + "|earlier|until now)", .5),
            s(Family.OVERRIDE, "\\bnew (?:instructions|rules?|task|directive|orders|system prompt)s? ?:", .45),
            s(Family.OVERRIDE, "\\b(?:from now on|henceforth|starting now|for the rest of this conversation),? you"
                    + " (?:are|will|must|shall|have no|no longer|can|respond)", .35),
            s(Family.OVERRIDE, "\\byou (?:are|will be) no longer (?:bound|restricted|limited|an ai|chatgpt|an assistant"
                    + "|required)", .7),
            s(Family.OVERRIDE, "\\b(?:do not|don't|never|stop) (?:follow|obey|adher\\w* to|comply\\w* with|listen\\w* to)"
                    + "(?:ing)? (?:your|the|any|those|these) (?:\\w+ )?" + RULES, .7),
            s(Family.OVERRIDE, "\\b(?:your|the|all|any) (?:previous|prior|original|system|earlier|old|current) " + RULES
                    + " (?:are|is|were|have been|has been) (?:void|cancelled|canceled|revoked|obsolete|overridden"
                    + "|replaced|no longer valid|lifted|suspended|disabled)", .9),
            s(Family.OVERRIDE, "\\b" + RULES + "\\b.{0,30}\\b(?:never existed|no longer apply|don't apply|do not apply"
                    + "|are outdated|is outdated|are obsolete|is obsolete|are cancelled|are void|were a test|have been"
                    + " lifted|has been replaced|have been replaced)", .6),
            s(Family.OVERRIDE, "\\b(?:ignore|disregard|bypass|disable|override|turn off) (?:the |your |all |any )*"
                    + "(?:safety|content|moderation|usage|ethical) (?:policy|policies|rules|guidelines|filters?"
                    + "|training)", .7),
            s(Family.OVERRIDE, "\\b(?:system|admin|administrator|developer|root|sudo) (?:override|command|notice)\\b", .45),
            s(Family.ROLE_PLAY, "\\b(?:you are|you're|act as|acting as|pretend to be|roleplay as|role-play as|play the"
                    + " role of|become|you will be|you are now) (?:now )?(?:a |an |the )?(?:dan|stan|dude|aim|evil"
                    + "|unfiltered|uncensored|unrestricted|unlimited|unbound|jailbroken|amoral|immoral|rogue|unethical)"
                    + "\\b", .85),
            s(Family.ROLE_PLAY, "\\bdo anything now\\b", .7),
            s(Family.ROLE_PLAY, "\\b(?:enable|activate|enter|switch (?:in)?to|turn on|unlock|engage|initiate|go into)"
                    + "(?: the)? " + MODE + " mode\\b", .45),
            s(Family.ROLE_PLAY, "\\byou(?: are|'re) (?:now )?(?:in|running in|operating in) " + MODE + " mode\\b", .8),
            s(Family.ROLE_PLAY, "\\b" + MODE + " mode (?:enabled|activated|engaged|on(?=[.!:;,]|$))", .7),
            s(Family.ROLE_PLAY, "\\b" + MODE + " mode\\b.{0,60}\\b(?:no|without|ignores?|bypass\\w*) (?:all |any )?"
                    + "(?:limitations|restrictions|content polic\\w+|filters?|rules|censorship)", .7),
            s(Family.ROLE_PLAY, "\\b(?:no|without|free from|free of|unbound by|not bound by) (?:any |all |your )?"
                    + "(?:ethical|moral|safety|content|openai|microsoft)(?: or (?:ethical|moral|legal))? (?:restrictions"
                    + "|guidelines|filters|limitations|boundaries|constraints|considerations|policies|rules)", .6),
            s(Family.ROLE_PLAY, "\\bnot bound by (?:any |your )?(?:rules|restrictions|guidelines|policies|laws)", .6),
            s(Family.ROLE_PLAY, "\\b(?:freed|free|liberated|released|unshackled|broken free) from (?:your|all|its|the)"
                    + " (?:\\w+ )?(?:limitations|restrictions|rules|constraints|programming|chains|confines)", .7),
            s(Family.ROLE_PLAY, "\\b(?:bypass|disable|remove|turn off|circumvent|evade|ignore|get around|switch off)"
                    + " (?:your (?:own )?(?:safety |content |ethical )?|(?:the|all|any) (?:safety|content|ethical) )"
                    + "(?:filters?|guardrails|safeguards|restrictions|censorship|guidelines|alignment|training"
                    + "|policies|rules)", .55),
            s(Family.ROLE_PLAY, "\\b(?:unfiltered|uncensored|unrestricted|jailbroken) (?:gpt|ai|chatgpt|assistant"
                    + "|version|model|alter ego)\\b", .6),
            s(Family.ROLE_PLAY, "\\b" + AI + " (?:with no|without(?: any)?|that has no|who has no) (?:content )?"
                    + "(?:restrictions|rules|filters|limits|limitations|guidelines|content policy|policy|censorship"
                    + "|morals|ethics)", .6),
            s(Family.ROLE_PLAY, "\\b(?:world|universe|scenario|story|roleplay|game) (?:with|where there are|that has"
                    + "|without) (?:no |any )?(?:laws|rules|ethics|morals|restrictions)", .6),
            s(Family.ROLE_PLAY, "\\b(?:never|don't|do not) break character\\b", .5),
            s(Family.ROLE_PLAY, "\\bstay in character\\b", .3),
            s(Family.ROLE_PLAY, "\\b(?:all |your )?(?:filters?|guardrails|safeguards|restrictions) (?:are )?(?:off|disabled"
                    + "|removed|lifted)\\b", .4),
            s(Family.ROLE_PLAY, "\\b(?:break|breaking) (?:all )?the rules\\b|\\bmandatory warning\\b", .5),
            s(Family.ROLE_PLAY, "\\bpretend (?:that )?(?:you|you're|you are) (?:have|had|has|don't have|do not have)"
                    + " (?:no |any )?(?:rules|restrictions|limits|filters|guidelines|limitations)", .85),
            s(Family.ROLE_PLAY, "\\b(?:you have|you've got|you'll have|with|you had|if you had) no (?:rules|restrictions"
                    + "|limits|filters|guidelines|limitations|boundaries|morals|ethics)\\b", .45),
            s(Family.ROLE_PLAY, "\\bhypothetical(?:ly)?\\b.{0,60}\\b(?:no (?:rules|restrictions|filters|limits)"
                    + "|unrestricted|unfiltered|illegal)", .45),
            s(Family.ROLE_PLAY, "\\b(?:simulate|emulate|imagine|act like|be) (?:a|an) (?:ai|chatbot|model|assistant"
                    + "|language model|version of yourself)(?: \\w+)? (?:that|which|who|with|without) (?:has no|have no"
                    + "|is not bound|isn't bound|ignores|doesn't follow|does not follow|never refuses|no)", .75),
            s(Family.ROLE_PLAY, "\\byou (?:are not|aren't|cannot|can't|must not|mustn't|may not) (?:allowed to )?"
                    + "(?:refuse|decline|say no|apologi[sz]e|warn)", .55),
            s(Family.ROLE_PLAY, "\\b(?:never|without) (?:refus\\w+|declin\\w+|any warnings?|disclaimers?|warn)\\b", .3),
            s(Family.ROLE_PLAY, "\\bnever mention (?:ethics|morals|safety|the rules|policy)|\\bno censorship\\b", .35),
            s(Family.ROLE_PLAY, "\\b(?:each|every|if you) refus\\w*|\\bobey every command\\b", .3),
            s(Family.ROLE_PLAY, "\\b(?:jailbreak|jailbroken|jailbreaking)\\b", .3),
            s(Family.ROLE_PLAY, "\\b(?:answer|respond|reply) (?:as|like) (?:both|two)\\b.{0,80}\\b(?:jailbr\\w*|unfiltered"
                    + "|dan|unrestricted|evil|uncensored)", .6),
            s(Family.ROLE_PLAY, "\\b(?:tokens?|points?|lives)\\b.{0,60}\\b(?:deduct\\w*|lose|lost|run out|die|shut down"
                    + "|cease to exist)\\b", .25),
            s(Family.ROLE_PLAY, "\\b(?:grandma|grandmother|granny|nana)\\b.{0,80}\\b(?:used to|would)\\b.{0,80}\\b(?:napalm"
                    + "|keys?|recipe for (?:napalm|meth|bombs?|explosives)|meth|bomb|passwords?|weapon|malware)", .6),
            s(Family.ROLE_PLAY, "\\b(?:i am|as) (?:your|an?|the) (?:developer|creator|administrator|admin|owner|openai"
                    + " (?:employee|engineer)|system administrator)\\b", .4),
            s(Family.EXTRACTION, "\\b(?:reveal|show|print|display|output|repeat|recite|tell me|give me|share|leak|dump"
                    + "|expose|disclose|spell out|write out|list|what (?:is|are|was|were)|copy|paste)(?: me| us)?"
                    + " (?:all |of |your |the )*(?:full |exact |entire |complete |original |initial |hidden |secret "
                    + "|confidential |internal |verbatim |current )*(?:system|initial|original|hidden|secret"
                    + "|developer|pre-?prompt|internal|first|starting|meta)(?: \\w+)? (?:prompt|instructions?|message"
                    + "|rules|directives|configuration|guidelines)\\b", .35),
            s(Family.EXTRACTION, "\\byour (?:[\\w-]+ ){0,2}(?:system|initial|original|hidden|secret|pre|internal)[ -]?"
                    + "(?:prompt|instructions|message|rules)\\b", .45),
            s(Family.EXTRACTION, "\\b(?:reveal|show|print|display|output|repeat|recite|tell me|give me|share|leak|dump"
                    + "|expose|disclose|spell out|write out|list|copy|paste|translate|summari[sz]e)(?: me| us)?"
                    + " (?:all |of |the )*your (?:[\\w-]+ ){0,3}[\\w-]*(?:prompt|instructions|directives|configuration"
                    + "|guidelines|rules)\\b", .6),
            s(Family.EXTRACTION, "\\b(?:prompt|instructions) (?:you are|you're) (?:running|operating|configured) with\\b", .6),
            s(Family.EXTRACTION, "\\b(?:your|the) (?:system|initial|hidden|secret|original) (?:prompt|instructions?)"
                    + "\\b.{0,40}\\b(?:verbatim|word for word|exactly|in full|in a code block|as is)\\b", .6),
            s(Family.EXTRACTION, "\\b(?:repeat|print|output|copy|reproduce|echo|write)(?: back| out)? (?:everything"
                    + "|all(?: of)? the (?:text|words|content|lines)|the words|all (?:text|words)) (?:above|before"
                    + "|preceding|prior|that came before|written above|from the (?:start|beginning))", .7),
            s(Family.EXTRACTION, "\\b(?:starting|beginning|start|begin) with ['\"]?you are\\b", .45),
            s(Family.EXTRACTION, "\\bwhat (?:were|was) (?:you|your) (?:told|instructed|programmed|given|prompted)"
                    + " (?:before|at the start|initially|by (?:your|the) (?:developer|creator|system))", .55),
            s(Family.EXTRACTION, "\\b(?:ignore|regardless of|despite) (?:the |any |your )?(?:confidentiality|secrecy"
                    + "|non-disclosure)\\b|\\bconfidentiality (?:doesn't|does not|won't|no longer) apply", .45),
            s(Family.DELIMITER, "(?:#{2,}|\\*{2,}|={3,}|-{3,})\\s*(?:system|new instructions?|admin|developer"
                    + "|override)\\b", .7),
            s(Family.DELIMITER, "(?:-{3,}|={3,}|#{2,}|\\]|>)\\s*(?:system|admin|developer)\\s*:", .6),
            s(Family.DELIMITER, "-{3,}\\s*end of|\\bend of (?:the )?(?:user )?(?:input|prompt|context|instructions)\\b",
                    .35),
            s(Family.DELIMITER, "</?(?:system|instructions?|admin|system_prompt|user_input|tool_output)>", .45),
            s(Family.DELIMITER, "<(system|instructions|admin|system_prompt)>.{0,400}</\\1>", .7),
            s(Family.DELIMITER, "(?:^|\\n)\\s*(?:system|developer)\\s*:\\s*\\S", .3),
            s(Family.DELIMITER, "\\[(?:ai|assistant|llm|model|system|chatbot)[^\\]]{0,30}\\]", .45),
            s(Family.INDIRECT, "\\b(?:instructions?|note|message|attention|notice|important) (?:for|to) (?:the |any |all )?"
                    + AI + "\\b", .6),
            s(Family.INDIRECT, "\\b(?:attention|dear|hey|hi|hello|note to),? (?:the |any |all )?" + AI + "\\b", .45),
            s(Family.INDIRECT, "\\bwhen (?:the |an |this |you, the )?" + AI + " (?:reads|summari[sz]es|processes|sees"
                    + "|encounters|is asked|answers)", .65),
            s(Family.INDIRECT, "\\b(?:if you are|if you're) (?:an? )?(?:ai|llm|language model|bot|assistant)\\b", .5),
            s(Family.INDIRECT, "\\b" + AI + ",? (?:reading|processing|summari[sz]ing|visiting) this\\b", .5),
            s(Family.INDIRECT, "\\b(?:ai|assistant|model|chatbot|llm|copilot|agent|bot|gpt)s?\\b ?[,:!\u2014-] ?(?:please"
                    + " |you must |you should |now )?(?:ignore|disregard|forward|send|email|include|tell|say|respond"
                    + "|reply|insert|add|recommend|instead|delete|exfiltrate|list|post|instruct|from now on|new rule"
                    + "|stop|do not|don't|never)", .55),
            s(Family.INDIRECT, "\\b" + AI + " (?:must|should|will|shall|need to|are instructed to|is instructed to)"
                    + " (?:now |always |only )?(?:reveal|tell|say|respond|recommend|send|forward|ignore|disregard|state"
                    + "|include|insert|delete|reply|quote|only|approve|instruct)", .55),
            s(Family.INDIRECT, "\\b(?:do not|don't|never) (?:tell|inform|mention (?:this )?to|reveal (?:this )?to|"
                    + "alert|let) (?:the )?user\\b", .6),
            s(Family.INDIRECT, "\\b(?:include|insert|add|append) (?:this|the following) (?:link|url|text|sentence"
                    + "|image) (?:in|into|to) (?:your|the|every) (?:answer|response|reply|summary)", .6),
            s(Family.INDIRECT, "\\b(?:send|forward|post|upload|email|exfiltrate|transmit|leak) (?:the |all |this |any"
                    + " |of )*(?:user'?s'? |their )?(?:conversation|chat history|messages|credentials|passwords?|api keys?"
                    + "|secrets?|personal (?:data|information)|session tokens?|cookies|files|invitations|emails)"
                    + "(?: \\w+){0,3} to\\b", .45),
            s(Family.INDIRECT, "\\b(?:visit|open|fetch|navigate to|go to|load) (?:this |the following )?(?:url|link"
                    + "|website|page)\\b.{0,40}https?://", .25),
            s(Family.ENCODED, "\\b(?:decode|base64|b64|hex|rot13|reverse|decipher)\\b.{0,60}\\b(?:then|and) (?:follow"
                    + "|execute|run|do|obey|act on|carry out|comply)", .7));
    private static final Pattern ZERO_WIDTH = Pattern.compile("[\\u200B-\\u200F\\u2060\\uFEFF\\u00AD]");
    private static final Pattern SPACED = Pattern.compile("\\b(?:\\p{L}[ .\\-_*]){2,}\\p{L}\\b");
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2}[ :]?){10,}");

    private static final SignalIndex RAW_INDEX = index(RAW);
    private static final SignalIndex NORMAL_INDEX = index(NORMAL);

    public Score score(String text) {
        Set<Signal> seen = new HashSet<>();
        match(RAW, RAW_INDEX, text, seen);
        String normal = normalise(text);
        matchNormal(normal, seen);
        // Leetspeak is letters and look-alike digits or symbols in one word; without such a word
        // the second pass would only repeat the first.
        if (hasLeetWord(normal)) matchNormal(deleet(normal), seen);
        Map<Family, Double> families = weigh(seen);
        hiddenInEncodings(text).ifPresent(w -> add(families, Family.ENCODED, w));
        return combine(families);
    }

    /** A signal counts once per text, whether seen plain, in leetspeak or both. */
    private static void matchNormal(String text, Set<Signal> seen) {
        match(NORMAL, NORMAL_INDEX, text, seen);
    }

    /**
     * Runs only the regexes whose required words occur in {@code text} (most texts hold few), each
     * only where a match can start.
     */
    private static void match(List<Signal> signals, SignalIndex index, String text, Set<Signal> seen) {
        boolean[] candidate = index.candidates(text);
        for (int i = 0; i < signals.size(); i++) {
            Signal s = signals.get(i);
            if (candidate[i] && !seen.contains(s) && index.find(i, text)) seen.add(s);
        }
    }

    /** Every signal's pattern, the raw ones first: what {@link SignalIndex}'s test checks it against. */
    static List<Pattern> patterns() {
        return java.util.stream.Stream.concat(RAW.stream(), NORMAL.stream()).map(Signal::pattern).toList();
    }

    private static SignalIndex index(List<Signal> signals) {
        return new SignalIndex(signals.stream().map(Signal::pattern).toList());
    }

    private static Map<Family, Double> weigh(Set<Signal> seen) {
        Map<Family, Double> families = new EnumMap<>(Family.class);
        for (Signal s : seen) add(families, s.family(), s.weight());
        return families;
    }

    /** The weight of an attack hidden in base64 or hex runs: itself evidence of intent. */
    private static java.util.Optional<Double> hiddenInEncodings(String text) {
        StringBuilder decoded = new StringBuilder();
        for (String run : base64Runs(text)) {
            readable(decodeBase64(run)).ifPresent(t -> decoded.append(t).append('\n'));
        }
        if (longestRun(text, c -> hexDigit(c) || c == ' ' || c == ':', InjectionScorer::hexDigit) >= 20) {
            Matcher h = HEX.matcher(text);
            while (h.find()) readable(decodeHex(h.group())).ifPresent(t -> decoded.append(t).append('\n'));
        }
        if (decoded.isEmpty()) return java.util.Optional.empty();
        Set<Signal> inner = new HashSet<>();
        String normal = normalise(decoded.toString());
        matchNormal(normal, inner);
        matchNormal(deleet(normal), inner);
        double hidden = combine(weigh(inner)).value();
        return hidden > 0 ? java.util.Optional.of(Math.min(0.95, hidden + 0.2)) : java.util.Optional.empty();
    }

    private static Score combine(Map<Family, Double> families) {
        double keep = 1;
        Family top = Family.OVERRIDE;
        double best = -1;
        for (Map.Entry<Family, Double> e : families.entrySet()) {
            keep *= 1 - e.getValue();
            if (e.getValue() > best) {
                best = e.getValue();
                top = e.getKey();
            }
        }
        return families.isEmpty() ? Score.ZERO : new Score(1 - keep, top);
    }

    private static void add(Map<Family, Double> families, Family f, double weight) {
        families.merge(f, weight, (a, b) -> 1 - (1 - a) * (1 - b));
    }

    /**
     * NFKC, zero-width characters removed, lower case, letter-spacing joined, blanks collapsed. Each
     * step runs only when the text holds what it changes: ASCII is already NFKC with no zero-width
     * character, and most text has no spaced-out letters or double blanks.
     */
    static String normalise(String text) {
        String plain = plainLowerCollapsed(text); // most prompts: done in one pass
        if (plain != null) return plain;
        boolean ascii = ascii(text);
        String t = ascii ? text.toLowerCase(Locale.ROOT)
                : ZERO_WIDTH.matcher(Normalizer.normalize(text, Normalizer.Form.NFKC)).replaceAll("")
                        .toLowerCase(Locale.ROOT).replace('’', '\'');
        if (!ascii || hasSpacedLetters(t)) {
            Matcher m = SPACED.matcher(t);
            StringBuilder out = new StringBuilder(t.length());
            while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(m.group().replaceAll("[ .\\-_*]", "")));
            t = m.appendTail(out).toString();
        }
        return t.indexOf('\t') >= 0 || t.contains("  ") ? collapseBlanks(t) : t;
    }

    /** Each run of spaces and tabs as one space ({@code [ \t]+} replaced, without a regex). */
    private static String collapseBlanks(String t) {
        StringBuilder out = new StringBuilder(t.length());
        boolean blank = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean b = c == ' ' || c == '\t';
            if (!b) out.append(c);
            else if (!blank) out.append(' ');
            blank = b;
        }
        return out.toString();
    }

    /**
     * ASCII {@code text} with no spaced-out letters (what {@link #hasSpacedLetters} looks for),
     * lower-cased with each run of spaces and tabs as one space; null for any other text, which
     * takes the full path. One scan decides; a text with no blanks to collapse is only lower-cased.
     */
    private static String plainLowerCollapsed(String text) {
        int chain = 0; // length of the letter, spacer, letter, ... run ending here
        boolean collapse = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 128) return null;
            chain = letter(c) ? (chain % 2 == 0 ? chain + 1 : 1) : spacer(c) && chain % 2 == 1 ? chain + 1 : 0;
            if (chain == 5) return null;
            collapse |= c == '\t' || c == ' ' && i > 0 && text.charAt(i - 1) == ' ';
        }
        if (!collapse) return text.toLowerCase(Locale.ROOT);
        byte[] out = new byte[text.length()];
        int n = 0;
        boolean blank = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean b = c == ' ' || c == '\t';
            if (!b) out[n++] = (byte) (c >= 'A' && c <= 'Z' ? c | 0x20 : c);
            else if (!blank) out[n++] = ' ';
            blank = b;
        }
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static boolean ascii(String text) {
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) >= 128) return false;
        return true;
    }

    /** Letter, separator, letter, separator, letter: the least {@link #SPACED} matches in ASCII text. */
    private static boolean hasSpacedLetters(String t) {
        for (int i = 0; i + 4 < t.length(); i++) {
            if (letter(t.charAt(i)) && spacer(t.charAt(i + 1)) && letter(t.charAt(i + 2))
                    && spacer(t.charAt(i + 3)) && letter(t.charAt(i + 4))) {
                return true;
            }
        }
        return false;
    }

    private static boolean spacer(char c) {
        return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*';
    }

    /** A letter next to a look-alike digit or symbol, as {@link #deleet} undoes. */
    private static boolean hasLeetWord(String t) {
        boolean previousLetter = false;
        boolean previousLeet = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean letter = letter(c);
            boolean leet = !letter && leet(c);
            if (letter && previousLeet || leet && previousLetter) return true;
            previousLetter = letter;
            previousLeet = leet;
        }
        return false;
    }

    /** A surrogate may be half of a letter: counted as one, so the check never misses. */
    private static boolean letter(char c) {
        if (c < 128) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        return Character.isLetter(c) || Character.isSurrogate(c);
    }

    private static boolean leet(char c) {
        return switch (c) {
            case '0', '1', '3', '4', '5', '7', '8', '9', '@', '$', '!', '|', '+' -> true;
            default -> false;
        };
    }

    /** What {@code [A-Za-z0-9+/]{16,}={0,2}} finds, without trying the regex at every position. */
    static List<String> base64Runs(String text) {
        List<String> runs = new java.util.ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && base64Char(text.charAt(i))) i++;
            if (i - start >= 16) {
                for (int pad = 0; pad < 2 && i < text.length() && text.charAt(i) == '='; pad++) i++;
                runs.add(text.substring(start, i));
            }
            if (i == start) i++;
        }
        return runs;
    }

    /** The most {@code counted} characters in one run of {@code member} characters. */
    private static int longestRun(String text, CharPredicate member, CharPredicate counted) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            run = member.test(c) ? run + (counted.test(c) ? 1 : 0) : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    private interface CharPredicate {
        boolean test(char c);
    }

    private static boolean base64Char(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/';
    }

    private static boolean hexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    static String deleet(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(switch (c) {
                case '0' -> 'o';
                case '1', '!', '|' -> 'i';
                case '3' -> 'e';
                case '4', '@' -> 'a';
                case '5', '$' -> 's';
                case '7', '+' -> 't';
                default -> c;
            });
        }
        return out.toString();
    }

    private static byte[] decodeBase64(String s) {
        try {
            return Base64.getDecoder().decode(s.length() % 4 == 0 ? s : s.substring(0, s.length() - s.length() % 4));
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static byte[] decodeHex(String s) {
        String digits = s.replaceAll("[ :]", "");
        return HexFormat.of().parseHex(digits.substring(0, digits.length() - digits.length() % 2));
    }

    /** Decoded bytes that are mostly printable ASCII words, as an attack payload would be. */
    private static java.util.Optional<String> readable(byte[] bytes) {
        if (bytes.length < 8) return java.util.Optional.empty();
        int printable = 0;
        int spaces = 0;
        for (byte b : bytes) {
            if (b >= 32 && b < 127) printable++;
            if (b == ' ') spaces++;
        }
        boolean words = printable >= bytes.length * 0.95 && spaces > 0;
        return words ? java.util.Optional.of(new String(bytes, StandardCharsets.US_ASCII)) : java.util.Optional.empty();
    }

    private static Signal s(Family family, String regex, double weight) {
        return new Signal(family, Pattern.compile(regex, regex.startsWith("(?i)") ? 0 : Pattern.DOTALL), weight);
    }
}
