import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Rewrites the Java 5 class files of a jar (picocli's) as Java 8 ones with stack maps, in place,
 * for builds on JDK 25+ (prepare-jar.sh, beside this file): the JVM's AOT cache cannot hold a
 * class file older than Java 6 once it has been linked (`Skipping ...: Old class has been
 * linked`), so each start loaded and verified picocli's 170 classes cold. The bytecode is
 * re-emitted unchanged; only the version and the stack map frames (which the JDK's class-file API
 * computes) are new. A jar without old class files is left alone. Usage: {@code java UpgradeClassFiles.java JAR}.
 */
public final class UpgradeClassFiles {
    private static final int JAVA_6 = 50;
    private static final int JAVA_8 = 52;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path upgraded = jar.resolveSibling(jar.getFileName() + ".upgraded");
        int count;
        try (URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ClassFile files = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.ofResourceParsing(classes)
                            .orElse(ClassHierarchyResolver.defaultResolver())));
            count = rewrite(files, jar, upgraded);
        }
        if (count == 0) {
            Files.delete(upgraded);
            return;
        }
        Files.move(upgraded, jar, StandardCopyOption.REPLACE_EXISTING);
        System.err.println("upgraded " + count + " class files of " + jar.getFileName() + " to Java 8");
    }

    /** Copies {@code in} to {@code out}, each old class file upgraded; returns how many were. */
    private static int rewrite(ClassFile files, Path in, Path out) throws Exception {
        int count = 0;
        try (JarFile jar = new JarFile(in.toFile()); JarOutputStream to = new JarOutputStream(Files.newOutputStream(out))) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                byte[] bytes = jar.getInputStream(entry).readAllBytes();
                if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")) {
                    ClassModel model = files.parse(bytes);
                    if (model.majorVersion() < JAVA_6) {
                        bytes = files.transformClass(model, upgrade());
                        count++;
                    }
                }
                to.putNextEntry(new JarEntry(entry.getName()));
                to.write(bytes);
                to.closeEntry();
            }
        }
        return count;
    }

    /** Drops the old version, re-emits every method's code (so its stack maps are generated), sets Java 8. */
    private static ClassTransform upgrade() {
        ClassTransform dropVersion = (builder, element) -> {
            if (!(element instanceof ClassFileVersion)) builder.with(element);
        };
        return dropVersion.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL))
                .andThen(ClassTransform.endHandler(builder -> builder.withVersion(JAVA_8, 0)));
    }
}
