package dev.spillway.gateway.validate;

/**
 * Checks that bytes are well-formed UTF-8 as RFC 3629 section 4 defines it: no overlong forms
 * ({@code C0 AF} for '/'), no surrogates ({@code ED A0..BF}), nothing past U+10FFFF. A JSON parser
 * accepts some of these, and a backend or log that decodes them differently sees another text
 * than the gateway checked. ASCII bytes take one comparison each. Stateless.
 */
final class StrictUtf8 {
    private StrictUtf8() {
    }

    /**
     * The offset, counted from {@code offset}, of the first of {@code bytes[offset, offset+length)}
     * that is not well-formed UTF-8, or -1 if all are.
     */
    static int firstInvalid(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int sequence = sequenceLength(bytes, i, b, end);
            if (sequence < 0) return i - offset;
            i += sequence;
        }
        return -1;
    }

    /** The length of the sequence starting with lead byte {@code b} at {@code i}, before {@code end}; -1 if ill-formed. */
    private static int sequenceLength(byte[] bytes, int i, int b, int end) {
        int length;
        int min = 0x80;
        int max = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            length = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            length = 3;
            if (b == 0xE0) min = 0xA0;          // overlong below U+0800
            if (b == 0xED) max = 0x9F;          // UTF-16 surrogates
        } else if (b >= 0xF0 && b <= 0xF4) {
            length = 4;
            if (b == 0xF0) min = 0x90;          // overlong below U+10000
            if (b == 0xF4) max = 0x8F;          // past U+10FFFF
        } else {
            return -1;                          // C0, C1 (overlong), F5..FF, a stray continuation byte
        }
        if (i + length > end) return -1;
        int second = bytes[i + 1] & 0xFF;
        if (second < min || second > max) return -1;
        for (int k = 2; k < length; k++) {
            int c = bytes[i + k] & 0xFF;
            if (c < 0x80 || c > 0xBF) return -1;
        }
        return length;
    }
}
