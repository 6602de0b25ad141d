package dev.spillway.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;

/** What a console API call answers: a status and a JSON body, or a download (CSV). Immutable. */
record Answer(int status, String contentType, String body, String fileName) {
    static Answer json(JsonNode body) {
        return new Answer(200, "application/json", body.toString(), "");
    }

    static Answer json(int status, JsonNode body) {
        return new Answer(status, "application/json", body.toString(), "");
    }

    static Answer download(String contentType, String body, String fileName) {
        return new Answer(200, contentType, body, fileName);
    }
}
