package dev.spillway.chat.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.chat.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link HistoryStore} adapter must have; subclasses supply the store. */
abstract class HistoryStoreContract {
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    private final java.util.List<HistoryStore> opened = new java.util.ArrayList<>();

    /** Opens the adapter under test; each call opens it again on the same database. */
    abstract HistoryStore open();

    HistoryStore store() {
        HistoryStore h = open();
        opened.add(h);
        return h;
    }

    @org.junit.jupiter.api.AfterEach
    void closeStores() {
        opened.forEach(HistoryStore::close);
    }

    private HistoryStore.StoredMessage msg(String role, String text) {
        return new HistoryStore.StoredMessage(role, text, "{\"citations\":[]}", clock.instant());
    }

    @Test
    void messagesComeBackInTheOrderTheyWereAppended() {
        HistoryStore h = store();
        String id = h.create("local:alice", "Vacation").id();
        h.append("local:alice", id, msg("user", "How many days?"));
        h.append("local:alice", id, msg("assistant", "25 [handbook.pdf#page=3]"));
        h.append("local:alice", id, msg("user", "And sick days?"));
        assertThat(h.messages("local:alice", id)).extracting(HistoryStore.StoredMessage::content)
                .containsExactly("How many days?", "25 [handbook.pdf#page=3]", "And sick days?");
        assertThat(h.messages("local:alice", id).get(1).details()).isEqualTo("{\"citations\":[]}");
    }

    @Test
    void conversationsAreListedMostRecentlyUpdatedFirst() {
        HistoryStore h = store();
        String first = h.create("local:bob", "first").id();
        clock.advance(Duration.ofMinutes(1));
        String second = h.create("local:bob", "second").id();
        clock.advance(Duration.ofMinutes(1));
        h.append("local:bob", first, msg("user", "bump"));
        assertThat(h.list("local:bob", 10)).extracting(HistoryStore.Conversation::id).containsExactly(first, second);
        assertThat(h.list("local:bob", 1)).hasSize(1);
    }

    @Test
    void anotherUserCanNeitherSeeNorWriteNorDeleteAConversation() {
        HistoryStore h = store();
        String id = h.create("local:carol", "private").id();
        h.append("local:carol", id, msg("user", "secret question"));
        assertThat(h.find("local:mallory", id)).isEmpty();
        assertThat(h.messages("local:mallory", id)).isEmpty();
        assertThat(h.list("local:mallory", 10)).isEmpty();
        assertThat(h.append("local:mallory", id, msg("user", "injected"))).isFalse();
        assertThat(h.delete("local:mallory", id)).isFalse();
        assertThat(h.messages("local:carol", id)).hasSize(1);
    }

    @Test
    void deletingRemovesTheConversationAndItsMessages() {
        HistoryStore h = store();
        String id = h.create("local:dave", "to delete").id();
        h.append("local:dave", id, msg("user", "q"));
        assertThat(h.delete("local:dave", id)).isTrue();
        assertThat(h.find("local:dave", id)).isEmpty();
        assertThat(h.messages("local:dave", id)).isEmpty();
    }

    @Test
    void longTitlesAreShortened() {
        assertThat(store().create("local:erin", "x".repeat(500)).title()).hasSize(200).endsWith("...");
    }

    @Test
    void aRatingIsStoredWithTheAnswerAndExportedWithItsQuestion() {
        HistoryStore h = store();
        String id = h.create("local:erin", "Vacation").id();
        h.append("local:erin", id, msg("user", "How many days?"));
        h.append("local:erin", id, msg("assistant", "25 days"));
        clock.advance(Duration.ofMinutes(1));
        assertThat(h.rate("local:erin", id, 2, "down")).isTrue();
        assertThat(h.messages("local:erin", id)).extracting(HistoryStore.StoredMessage::seq, HistoryStore.StoredMessage::rating)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, ""), org.assertj.core.groups.Tuple.tuple(2, "down"));
        assertThat(h.ratedAnswers(java.util.Optional.of("local:erin"), 10)).singleElement().satisfies(r -> {
            assertThat(r.question()).isEqualTo("How many days?");
            assertThat(r.answer()).isEqualTo("25 days");
            assertThat(r.rating()).isEqualTo("down");
            assertThat(r.ratedAt()).isEqualTo(clock.instant());
        });
        assertThat(h.ratedAnswers(java.util.Optional.empty(), 1000)).anyMatch(r -> r.conversationId().equals(id));
        assertThat(h.rate("local:erin", id, 2, "")).isTrue();
        assertThat(h.ratedAnswers(java.util.Optional.of("local:erin"), 10)).isEmpty();
    }

    @Test
    void onlyTheOwnerCanRateAndOnlyAnswersCanBeRated() {
        HistoryStore h = store();
        String id = h.create("local:frank", "private").id();
        h.append("local:frank", id, msg("user", "q"));
        h.append("local:frank", id, msg("assistant", "a"));
        assertThat(h.rate("local:mallory", id, 2, "up")).isFalse();
        assertThat(h.rate("local:frank", id, 1, "up")).isFalse();
        assertThat(h.rate("local:frank", id, 3, "up")).isFalse();
        assertThat(h.ratedAnswers(java.util.Optional.of("local:mallory"), 10)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.rate("local:frank", id, 2, "meh"))
                .hasMessageContaining("rating must be up, down or empty, was 'meh'");
    }
}
