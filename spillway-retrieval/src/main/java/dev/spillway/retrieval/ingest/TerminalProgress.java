package dev.spillway.retrieval.ingest;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Shows progress on the terminal: one line redrawn with {@code \r} when the output is a terminal,
 * otherwise plain lines (every item for short jobs, every tenth of the way for long ones), so logs
 * stay readable. Ingestion shows pages, pages per second and the time left. One per job; not
 * thread-safe.
 */
public final class TerminalProgress implements ProgressListener {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final boolean tty;
    private final PageRate rate;
    private int lastDecile = -1;
    private int lastLength;
    private String lastLine = "";

    public TerminalProgress(PrintStream out, boolean tty, InstantSource clock) {
        this.out = out;
        this.tty = tty;
        this.rate = new PageRate(clock);
    }

    public TerminalProgress(PrintStream out, boolean tty) {
        this(out, tty, Clock.systemUTC());
    }

    /** Progress on standard output, redrawn in place when it is a terminal. */
    public static TerminalProgress onStdout() {
        return new TerminalProgress(System.out, stdoutIsTerminal());
    }

    /**
     * JDK 22+ returns a console even when output is redirected and offers {@code isTerminal()};
     * JDK 21 (our language level) returns null when redirected. Reflection covers both.
     */
    static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Override
    public void progress(String stage, int done, int total, String item) {
        line(stage, done, total, "", item);
    }

    private void line(String stage, long done, long total, String detail, String item) {
        if (tty) {
            int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
            String line = String.format("%s [%s%s] %d/%d%s %s", stage, "#".repeat(filled), " ".repeat(WIDTH - filled),
                    done, total, detail, shorten(item));
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
            out.flush();
            return;
        }
        int decile = total == 0 ? 10 : (int) (10L * done / total);
        String line = String.format("%s %d/%d%s %s", stage, done, total, detail, item);
        // A log gets no repeats: the same line again (a file started, then its first batch) is skipped.
        if ((total <= 100 || decile != lastDecile || done == total) && !line.equals(lastLine)) {
            out.println(line);
            lastDecile = decile;
            lastLine = line;
        }
    }

    /** {@code indexing [####    ] 120/400 pages, 3.2 pages/s, 1 min 27 s left  handbook.pdf} */
    @Override
    public void pages(PageProgress p) {
        rate.update(p);
        line("indexing", p.done(), p.total(), " pages" + speed(), p.item());
    }

    private String speed() {
        double perSecond = rate.pagesPerSecond();
        if (perSecond <= 0) return "";
        return String.format(java.util.Locale.ROOT, ", %.1f pages/s", perSecond)
                + rate.eta().map(eta -> ", " + duration(eta) + " left").orElse("");
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) return s + " s";
        if (s < 3600) return s / 60 + " min " + s % 60 + " s";
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }

    @Override
    public void finished() {
        if (tty && lastLength > 0) out.println();
        lastLength = 0;
        lastDecile = -1;
        lastLine = "";
    }

    private static String shorten(String item) {
        return item.length() <= 48 ? item : "..." + item.substring(item.length() - 45);
    }
}
