package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime started in a child JVM with its own temp dir: what it leaves behind. */
class OnnxNativesTest {
    @TempDir
    Path dir;

    private List<Path> leftAfterARun(Path tmp, String... args) throws Exception {
        Files.createDirectories(tmp);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"), OnnxProbe.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().startsWith("onnxruntime-java")).toList();
        }
    }

    @Test
    void onnxRuntimeLeavesAnEmptyTempFolderPerStartOnItsOwnButNoneFromOurFolder() throws Exception {
        assertThat(leftAfterARun(dir.resolve("tmp-plain"))).singleElement().satisfies(f -> assertThat(isEmpty(f)).isTrue());
        Path natives = dir.resolve("models/onnxruntime");
        assertThat(leftAfterARun(dir.resolve("tmp-ours"), natives.toString())).isEmpty();
        assertThat(natives.resolve(System.mapLibraryName("onnxruntime4j_jni"))).isRegularFile();
        assertThat(leftAfterARun(dir.resolve("tmp-again"), natives.toString())).isEmpty(); // reuses the folder
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.findAny().isEmpty();
        }
    }
}
