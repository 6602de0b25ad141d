package dev.spillway.gateway.audit;

import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code audit.anchor-file}: chain heads as JSON lines ({@code {"seq":N,"hash":"...","at":"..."}})
 * appended and fsync'd to a file that should live outside the audit directory (another disk, an
 * append-only mount, a directory the gateway can write and an auditor can copy). A line cut by
 * a crash is ignored. Thread-safe (appends are serialised).
 */
public final class FileHeadAnchors implements HeadAnchors {
    private final Path file;

    public FileHeadAnchors(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void anchor(AnchoredHead head) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        String line = head.toJson() + "\n";
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(false);
        }
    }

    @Override
    public List<AnchoredHead> heads() throws IOException {
        if (!Files.exists(file)) return List.of();
        List<AnchoredHead> heads = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.endsWith("}")) continue; // cut by a crash
            heads.add(AnchoredHead.fromJson(Json.MAPPER.readTree(line)));
        }
        return heads;
    }

    /** The file is only ever appended to: what leaves it is up to its owner, not the gateway. */
    @Override
    public void forgetBefore(Instant cutoff) {
        // append-only by design
    }

    @Override
    public String describe() {
        return "anchor file " + file;
    }
}
