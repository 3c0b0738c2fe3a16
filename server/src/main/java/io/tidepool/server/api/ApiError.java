package io.tidepool.server.api;

/** An API failure with the HTTP status it answers with; the message is for people. */
public class ApiError extends RuntimeException {
    private final int status;

    public ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, message);
    }
}
