package dev.spillway.simulator.chat;

/** One source passage found in a prompt: its citation (without brackets) and its text. Immutable. */
record Source(String citation, String text) {
}
