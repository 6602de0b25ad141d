package dev.spillway.bench;

/**
 * A shard's clients split into lanes of at most {@link #PER_LANE} connections, each lane with an
 * HTTP client (and connection pool) of its own, and which lane each in-flight request uses.
 *
 * <p>Implementation notes. A Vert.x pool looks for a free connection by walking its list of
 * connections on every request, so one pool of 10,000 connections spent most of its time walking
 * (8 % of the load generator's CPU samples at 10,000 streams, growing with the square of the
 * streams). Lanes bound the walk. A request takes a lane with room and gives it back when it
 * settles, so a lane never has more requests than connections and no request waits in a pool
 * while another lane has a free connection. Confined to the shard's event loop.
 */
final class Lanes {
    static final int PER_LANE = 256;

    private final int[] capacity;
    private final int[] busy;
    private int lowestWithRoom;

    Lanes(int clients) {
        int lanes = Math.max(1, (clients + PER_LANE - 1) / PER_LANE);
        capacity = new int[lanes];
        busy = new int[lanes];
        for (int i = 0; i < lanes; i++) capacity[i] = Math.max(1, Math.min(PER_LANE, clients - i * PER_LANE));
    }

    int count() {
        return capacity.length;
    }

    int capacity(int lane) {
        return capacity[lane];
    }

    /** A lane with a free connection; the caller keeps in-flight requests below the clients in all. */
    int acquire() {
        for (int lane = lowestWithRoom; lane < capacity.length; lane++) {
            if (busy[lane] < capacity[lane]) {
                busy[lane]++;
                lowestWithRoom = lane;
                return lane;
            }
        }
        throw new IllegalStateException("every lane is full");
    }

    void release(int lane) {
        busy[lane]--;
        lowestWithRoom = Math.min(lowestWithRoom, lane);
    }
}
