package dev.spillway.cli;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Path;

/** Run in a child JVM by OnnxNativesTest: loads ONNX Runtime, with our folder when given one, and exits. */
public final class OnnxProbe {
    private OnnxProbe() {
    }

    public static void main(String[] args) {
        if (args.length > 0) OnnxNatives.useFolder(Path.of(args[0]));
        OrtEnvironment.getEnvironment().close();
    }
}
