package dev.spillway.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Option;

/**
 * Where log lines go, so that commands print their own lines and little else. The console gets
 * Spillway's own warnings and anyone's errors; third-party INFO and WARN lines (Flyway, Hikari,
 * DJL, Lucene's java.util.logging) go to {@code spillway.log} in the data dir once a command opens
 * it, and also to the console with {@code --verbose}. Process-wide; set up once per command.
 */
final class Logging {
    private static volatile boolean verbose;

    private Logging() {
    }

    /** {@code --verbose} for commands that mix it in. */
    static final class Options {
        @Option(names = "--verbose",
                description = "also print third-party log lines (Flyway, Hikari, DJL, Lucene) on the console")
        void verbose(boolean value) {
            Logging.verbose = value;
        }
    }

    /** Passes Spillway's WARN and ERROR and everyone's ERROR; everything when verbose. */
    public static final class ConsoleFilter extends Filter<ILoggingEvent> {
        @Override
        public FilterReply decide(ILoggingEvent event) {
            return shown(event.getLoggerName(), event.getLevel(), verbose) ? FilterReply.NEUTRAL : FilterReply.DENY;
        }
    }

    static boolean shown(String logger, Level level, boolean verbose) {
        if (verbose || level.isGreaterOrEqual(Level.ERROR)) return true;
        return level.isGreaterOrEqual(Level.WARN) && logger.startsWith("dev.spillway");
    }

    /** Also writes every line to {@code file} (appending), and routes java.util.logging through it. */
    static void toFile(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("file");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        routeJavaUtilLogging();
    }

    /** Lucene and others log through java.util.logging, which prints to stderr unless routed here. */
    static void routeJavaUtilLogging() {
        if (SLF4JBridgeHandler.isInstalled()) return;
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
