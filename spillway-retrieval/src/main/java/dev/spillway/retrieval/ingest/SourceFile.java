package dev.spillway.retrieval.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A file to ingest and its source path: relative to its root, with {@code /} separators
 * ({@code policies/leave.pdf}); a root that is a file is its own name. Hidden files and formats
 * without a parser are skipped. Immutable.
 */
record SourceFile(Path path, String source) {
    static List<SourceFile> discover(List<Path> roots) {
        Map<String, Path> seen = new HashMap<>();
        List<SourceFile> out = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) throw new IllegalArgumentException(root + ": no such file or directory");
            Path absolute = root.toAbsolutePath().normalize();
            Path base = Files.isDirectory(absolute) ? absolute : absolute.getParent();
            try (Stream<Path> walk = Files.walk(absolute)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String source = base.relativize(p).toString().replace('\\', '/');
                    if (hidden(source) || Parsers.forFile(source).isEmpty()) continue;
                    Path before = seen.putIfAbsent(source, p);
                    if (before != null) {
                        throw new IllegalArgumentException("two files have the source path '" + source + "': " + before + " and " + p);
                    }
                    out.add(new SourceFile(p, source));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + root, e);
            }
        }
        return out;
    }

    /**
     * How many pages the file has: a PDF's page count (read from its page tree, without
     * extracting text), 1 for every other format or a PDF that cannot be read (ingestion then
     * reports the failure).
     */
    long pageCount() {
        if (!source.toLowerCase(java.util.Locale.ROOT).endsWith(".pdf")) return 1;
        try (org.apache.pdfbox.pdmodel.PDDocument pdf = org.apache.pdfbox.Loader.loadPDF(path.toFile())) {
            return Math.max(1, pdf.getNumberOfPages());
        } catch (IOException e) {
            return 1;
        }
    }

    /** SHA-256 over the content, the access groups and the chunking settings. */
    static String hash(byte[] content, Set<String> groups, String settings) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(content);
            sha.update(("\n" + new TreeSet<>(groups) + "\n" + settings).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean hidden(String source) {
        for (String part : source.split("/")) if (part.startsWith(".")) return true;
        return false;
    }
}
