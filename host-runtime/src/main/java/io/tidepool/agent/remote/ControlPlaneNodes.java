package io.tidepool.agent.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.agent.ControlPlaneLink.UnreachableException;
import io.tidepool.api.codec.ResourceJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The control-plane nodes an agent talks to, with its token. Any node serves lists, watches and
 * writes (it passes writes to the store's leader); heartbeats and upscale requests need the node
 * that leads, and the others answer them 503. A call goes first to the node that last answered
 * that kind of call, and on a connection failure or a 503 to the next, each node at most once.
 */
final class ControlPlaneNodes {
    /** Which node may answer a call. */
    enum Route { ANY, LEADER }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final List<URI> nodes;
    private final String token;
    private final HttpClient http;
    private final AtomicInteger lastAnswered = new AtomicInteger();
    private final AtomicInteger lastLeader = new AtomicInteger();

    /** @param nodes each node's base URL, like {@code http://10.0.0.1:7480} */
    ControlPlaneNodes(List<URI> nodes, String token) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("expected at least one control-plane URL");
        }
        this.nodes = nodes.stream().map(ControlPlaneNodes::asBase).toList();
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    private static URI asBase(URI uri) {
        String text = uri.toString();
        return URI.create(text.endsWith("/") ? text : text + "/");
    }

    List<URI> nodes() {
        return nodes;
    }

    /**
     * Sends the request {@code request} builds for a node's base URL, with the token.
     *
     * @throws UnreachableException when no node answered other than 503
     */
    <T> HttpResponse<T> send(Route route, Function<URI, HttpRequest.Builder> request, HttpResponse.BodyHandler<T> body) {
        AtomicInteger preferred = route == Route.LEADER ? lastLeader : lastAnswered;
        int first = preferred.get();
        String failures = "";
        for (int i = 0; i < nodes.size(); i++) {
            int index = (first + i) % nodes.size();
            URI node = nodes.get(index);
            HttpResponse<T> response;
            try {
                response = http.send(request.apply(node).header("Authorization", "Bearer " + token).build(), body);
            } catch (IOException e) {
                failures += "; " + node + ": " + describe(e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnreachableException("interrupted while calling " + node);
            }
            if (response.statusCode() == 503) {
                failures += "; " + node + ": " + errorOf(response);
                discard(response);
                continue;
            }
            preferred.set(index);
            return response;
        }
        throw new UnreachableException("no control-plane node answered" + failures);
    }

    /** What went wrong, in the words of the innermost cause that has any (HttpClient's ConnectException has none). */
    private static String describe(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
        }
        return e instanceof ConnectException ? "cannot connect" : e.getClass().getSimpleName();
    }

    /** The server's explanation of a failed call: its {@code error} field, or the status. */
    static String errorOf(HttpResponse<?> response) {
        return errorOf(response.statusCode(), response.body() instanceof byte[] bytes ? bytes : new byte[0]);
    }

    static String errorOf(int status, byte[] body) {
        try {
            JsonNode error = ResourceJson.mapper().readTree(new String(body, StandardCharsets.UTF_8)).path("error");
            if (error.isTextual()) {
                return status + " " + error.asText();
            }
        } catch (IOException | RuntimeException notJson) {
            // the status says enough
        }
        return "HTTP " + status;
    }

    private static void discard(HttpResponse<?> response) {
        if (response.body() instanceof InputStream stream) {
            try {
                stream.close();
            } catch (IOException e) {
                // nothing more to read from it anyway
            }
        }
    }
}
