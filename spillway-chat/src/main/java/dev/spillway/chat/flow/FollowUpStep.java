package dev.spillway.chat.flow;

/**
 * Step 4: keeps the follow-up questions the answer proposed, or derives them from the sources'
 * sections when the answer proposed none (an extractive model never does).
 */
final class FollowUpStep implements FlowStep {
    private final int count;

    FollowUpStep(int count) {
        this.count = count;
    }

    @Override
    public String name() {
        return "follow-ups";
    }

    @Override
    public void run(TurnState state) {
        state.input("proposed-by-model", state.followUps);
        if (state.followUps.isEmpty()) {
            state.followUps = FollowUps.derive(state.hits, count);
            state.output("origin", "derived from sources");
        } else {
            state.followUps = state.followUps.subList(0, Math.min(count, state.followUps.size()));
            state.output("origin", "model");
        }
        state.output("questions", state.followUps);
    }
}
