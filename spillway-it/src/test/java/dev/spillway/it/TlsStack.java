package dev.spillway.it;

/**
 * One {@link Stack} with the gateway on TLS, shared by the SDK client matrix classes in this test
 * JVM: started by the first class that asks, closed when the JVM exits, so the matrix pays for one
 * start. Tests on it compare counts before and after instead of assuming a fresh gateway.
 */
final class TlsStack {
    private static Stack stack;

    private TlsStack() {
    }

    static synchronized Stack get() throws Exception {
        if (stack == null) {
            Stack started = new Stack(true);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception e) {
                    System.err.println("closing the TLS stack: " + e);
                }
            }));
            stack = started;
        }
        return stack;
    }
}
