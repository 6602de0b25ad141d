package dev.spillway.gateway.audit;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Redacts a byte stream chunk by chunk, so that a secret split across chunks is still caught.
 *
 * <p>Implementation notes: bytes are decoded as UTF-8 (a multi-byte character split across
 * chunks waits in the decoder). The last {@link Redactor#MAX_MATCH} characters are held back,
 * and the cut point moves earlier to the start of any match that straddles it, so text is only
 * released once every match that could touch it is complete; {@link #finish} releases the rest.
 * Memory is bounded by one chunk plus the hold-back. One per body; not thread-safe.
 */
public final class StreamingRedactor {
    private final Redactor redactor;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pendingBytes = ByteBuffer.allocate(0);
    private final StringBuilder held = new StringBuilder();

    public StreamingRedactor(Redactor redactor) {
        this.redactor = redactor;
    }

    /** Takes the next bytes; returns the redacted text that is now safe to store. */
    public byte[] feed(byte[] chunk) {
        decode(chunk, false);
        int cut = Math.max(0, held.length() - Redactor.MAX_MATCH);
        for (int previous = -1; cut != previous; ) {
            previous = cut;
            cut = redactor.earliestStraddling(held, cut);
        }
        return release(cut);
    }

    /** The end of the body: everything still held, redacted. */
    public byte[] finish() {
        decode(new byte[0], true);
        return release(held.length());
    }

    private byte[] release(int cut) {
        if (cut == 0) return new byte[0];
        List<Redactor.Hit> hits = redactor.hits(held);
        StringBuilder out = new StringBuilder(cut + 32);
        Redactor.apply(held, hits, cut, out);
        held.delete(0, cut);
        return out.toString().getBytes(StandardCharsets.UTF_8);
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
