package dev.spillway.gateway.pipeline;

/**
 * Where the stream meter hands the text a relayed stream generates (content, reasoning and
 * tool-call deltas), read from each frame in the same pass that finds the usage chunk: the ledger's
 * count for a stream that ends before its usage chunk (cut short, client gone). The characters are
 * the parser's own buffer: copy what you keep, before returning. Called on the event loop.
 */
@FunctionalInterface
public interface GeneratedText {
    void append(char[] text, int offset, int length);

    GeneratedText NONE = (text, offset, length) -> {
        // nothing counts this stream
    };
}
