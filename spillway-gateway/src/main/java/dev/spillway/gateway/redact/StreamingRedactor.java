package dev.spillway.gateway.redact;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Redacts a byte or text stream piece by piece, so that a secret split across pieces is still
 * caught: the audit log's bodies and the safety checks on streamed answers.
 *
 * <p>Implementation notes: bytes are decoded as UTF-8 (a multi-byte character split across
 * chunks waits in the decoder). The last {@code window} characters are held back, and the cut
 * point moves earlier to the start of any match that straddles it or of an unfinished match
 * running to the end ({@link Redactor.Rule#open}), so text is only released once every match that
 * could touch it is complete; {@link #finish} releases the rest. The hold never exceeds
 * {@code maxHold} characters: a longer match is cut there (its released part still redacted, the
 * rest may pass). Each hit is reported to {@code seen} once, when the text holding it is released;
 * only hits {@code replace} accepts are replaced. One per body; not thread-safe.
 */
public final class StreamingRedactor {
    private final Redactor redactor;
    private final int window;
    private final int maxHold;
    private final Predicate<Redactor.Hit> replace;
    private final Consumer<Redactor.Hit> seen;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pendingBytes = ByteBuffer.allocate(0);
    private final StringBuilder held = new StringBuilder();

    /** The audit's redactor: a {@link Redactor#MAX_MATCH} window, every hit replaced. */
    public StreamingRedactor(Redactor redactor) {
        this(redactor, Redactor.MAX_MATCH, Integer.MAX_VALUE, hit -> true, hit -> { });
    }

    public StreamingRedactor(Redactor redactor, int window, int maxHold, Predicate<Redactor.Hit> replace,
            Consumer<Redactor.Hit> seen) {
        if (window < 1 || maxHold < window) {
            throw new IllegalArgumentException("window must be >= 1 and <= maxHold, was " + window + "/" + maxHold);
        }
        this.redactor = redactor;
        this.window = window;
        this.maxHold = maxHold;
        this.replace = replace;
        this.seen = seen;
    }

    /** Takes the next bytes; returns the redacted text that is now safe to pass on. */
    public byte[] feed(byte[] chunk) {
        decode(chunk, false);
        return release(safeCut()).getBytes(StandardCharsets.UTF_8);
    }

    /** The end of the body: everything still held, redacted. */
    public byte[] finish() {
        decode(new byte[0], true);
        return release(held.length()).getBytes(StandardCharsets.UTF_8);
    }

    /** Takes the next text; returns the redacted text that is now safe to pass on. */
    public String feed(CharSequence text) {
        held.append(text);
        return release(safeCut());
    }

    /** The end of the text: everything still held, redacted. */
    public String finishText() {
        return release(held.length());
    }

    /** How many characters are held back now. */
    public int holding() {
        return held.length();
    }

    private int safeCut() {
        int floor = Math.max(0, held.length() - maxHold);
        int cut = Math.max(0, held.length() - window);
        for (int previous = -1; cut != previous && cut > floor; ) {
            previous = cut;
            cut = Math.max(floor, redactor.earliestStraddling(held, cut));
        }
        return cut;
    }

    private String release(int cut) {
        if (cut == 0) return "";
        List<Redactor.Hit> hits = redactor.hits(held);
        for (Redactor.Hit h : hits) {
            if (h.start() < cut) seen.accept(h);
        }
        StringBuilder out = new StringBuilder(cut + 32);
        int upTo = cut;
        Redactor.Hit cutThrough = hits.stream().filter(h -> h.start() < cut && h.end() > cut).findFirst().orElse(null);
        if (cutThrough != null && replace.test(cutThrough)) {
            // Forced past maxHold inside a match: redact the part being released.
            upTo = cutThrough.start();
        }
        Redactor.apply(held, hits, upTo, out, replace);
        if (upTo < cut) out.append("[REDACTED:").append(cutThrough.rule()).append(']');
        held.delete(0, cut);
        return out.toString();
    }

    private void decode(byte[] chunk, boolean end) {
        ByteBuffer in = ByteBuffer.allocate(pendingBytes.remaining() + chunk.length).put(pendingBytes).put(chunk).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 16);
        decoder.decode(in, out, end);
        if (end) decoder.flush(out);
        held.append(out.flip());
        pendingBytes = in.slice();
    }
}
