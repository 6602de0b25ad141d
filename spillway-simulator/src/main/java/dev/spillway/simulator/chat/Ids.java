package dev.spillway.simulator.chat;

import java.util.random.RandomGenerator;

/** Random-looking identifiers drawn from a given generator, so tests with a seed see fixed ids. Stateless. */
final class Ids {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private Ids() {
    }

    static String alphanumeric(RandomGenerator random, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) out[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        return new String(out);
    }
}
