package dev.spillway.chat.web;

import dev.spillway.chat.flow.ChatModel.ModelException;

/**
 * What the person asking is told when an answer fails: what happened in their words and what to
 * do next, never an exception's class or a stack trace (those go to the log). Stateless.
 */
final class AnswerErrors {
    static final String APP_FAILED = "The chat app failed while answering. Retry; if it keeps failing, tell your"
            + " administrator (the details are in the app's log).";

    private AnswerErrors() {
    }

    static String forPerson(ModelException e) {
        return switch (e.kind()) {
            case UNREACHABLE -> "The model service is not reachable. Check that the gateway is running, then retry.";
            case BROKEN -> "The model service stopped in the middle of the answer. Retry.";
            case REJECTED -> rejected(e.status(), e.getMessage());
        };
    }

    private static String rejected(int status, String details) {
        if (status == 429) return "The model service is busy or this app's quota is used up (HTTP 429). Wait a moment, then retry.";
        if (status == 401 || status == 403) {
            return "The model service refused this chat app's key (HTTP " + status + "). Tell your administrator.";
        }
        if (status >= 500) return "The model service failed (HTTP " + status + "). Retry in a moment.";
        // A 4xx names what was wrong with the request; that text comes from our own gateway.
        return "The model service could not answer this request (HTTP " + status + "): "
                + details.replaceFirst("^the gateway answered \\d+: ", "");
    }
}
