package dev.spillway.chat.history;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Each user's conversations and their messages. Every read and write names the owning user, so a
 * conversation id guessed or copied from someone else finds nothing. Blocking (JDBC): call it off
 * the event loop. Implementations are thread-safe.
 */
public interface HistoryStore extends AutoCloseable {
    Conversation create(String userId, String title);

    /** The user's conversations, most recently updated first. */
    List<Conversation> list(String userId, int limit);

    Optional<Conversation> find(String userId, String conversationId);

    /** The conversation's messages in order; empty if it is not this user's. */
    List<StoredMessage> messages(String userId, String conversationId);

    /** Appends to a conversation of this user; false if it is not theirs. */
    boolean append(String userId, String conversationId, StoredMessage message);

    boolean delete(String userId, String conversationId);

    /**
     * Records the user's rating ({@code up}, {@code down}, or {@code ""} to clear it) on answer
     * {@code seq} of their conversation; false if there is no such answer of theirs.
     */
    boolean rate(String userId, String conversationId, int seq, String rating);

    /** Rated answers with their questions, oldest rating first; one user's, or everyone's when empty. */
    List<RatedAnswer> ratedAnswers(Optional<String> userId, int limit);

    @Override
    void close();

    /** One conversation's summary. Immutable. */
    record Conversation(String id, String title, Instant createdAt, Instant updatedAt) {
    }

    /**
     * One message: {@code role} is {@code user} or {@code assistant}; {@code details} is the JSON the
     * UI shows beside an answer (thoughts, citations, follow-ups, a failed or stopped status), or
     * {@code "{}"}; {@code seq} numbers the messages of a conversation from 1 (0 before it is
     * stored); {@code rating} is {@code up}, {@code down} or {@code ""}. Immutable.
     */
    record StoredMessage(String role, String content, String details, Instant createdAt, int seq, String rating) {
        /** A message about to be appended. */
        public StoredMessage(String role, String content, String details, Instant createdAt) {
            this(role, content, details, createdAt, 0, "");
        }
    }

    /** One rated answer and the question before it, for evaluation. Immutable. */
    record RatedAnswer(String userId, String conversationId, int seq, String question, String answer, String details,
                       String rating, Instant ratedAt) {
    }
}
