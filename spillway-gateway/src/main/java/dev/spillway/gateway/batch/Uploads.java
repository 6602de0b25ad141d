package dev.spillway.gateway.batch;

import dev.spillway.core.error.SpillwayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a Files API upload: a {@code multipart/form-data} body with a {@code purpose} field and
 * one {@code file} part, refused with 413 as soon as it passes {@code max} bytes (by its declared
 * length, or while it streams in). Stateless.
 */
final class Uploads {
    /** The parts of an upload that the Files API keeps. */
    record Upload(String purpose, String filename, byte[] content) {
    }

    private Uploads() {
    }

    static Future<Upload> read(HttpServerRequest req, long max) {
        String type = req.getHeader("content-type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw new SpillwayException.InvalidRequest("invalid_content_type",
                    "Upload files as multipart/form-data with the fields 'purpose' and 'file'.", "file");
        }
        String declared = req.getHeader("content-length");
        if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > max) {
            throw new SpillwayException.PayloadTooLarge(max);
        }
        Promise<Upload> done = Promise.promise();
        Buffer content = Buffer.buffer();
        String[] filename = {null};
        req.setExpectMultipart(true);
        req.uploadHandler(upload -> {
            filename[0] = upload.filename();
            upload.handler(chunk -> {
                if (content.length() + (long) chunk.length() > max) done.tryFail(new SpillwayException.PayloadTooLarge(max));
                else content.appendBuffer(chunk);
            });
        });
        req.exceptionHandler(done::tryFail);
        req.endHandler(v -> {
            String purpose = req.getFormAttribute("purpose");
            if (filename[0] == null) {
                done.tryFail(new SpillwayException.InvalidRequest("missing_required_parameter",
                        "The upload has no 'file' part.", "file"));
            } else if (purpose == null || purpose.isBlank()) {
                done.tryFail(new SpillwayException.InvalidRequest("missing_required_parameter",
                        "'purpose' is required.", "purpose"));
            } else {
                done.tryComplete(new Upload(purpose.trim(), filename[0], content.getBytes()));
            }
        });
        req.resume();
        return done.future();
    }
}
