package io.tidepool.manifests.client;

/** The server answered with an error; {@code status} is the HTTP status (0 when it could not be reached). */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }

    public boolean unreachable() {
        return status == 0;
    }
}
