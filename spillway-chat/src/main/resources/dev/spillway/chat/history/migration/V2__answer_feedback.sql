-- Thumbs up/down on an answer, kept with the answer's message so it is exported with its turn.
ALTER TABLE chat_message ADD COLUMN feedback VARCHAR(8);
ALTER TABLE chat_message ADD COLUMN feedback_at BIGINT;
