package io.tidepool.server.console;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * The console's static files, read once from the classpath and served from memory by name: our own
 * CSS and scripts, and uPlot (the charting library, from its webjar, MIT). Only the names listed
 * here are served, so no path can reach anything else. Browsers revalidate with an ETag.
 */
final class ConsoleAssets {
    private static final String OWN = "console/";
    private static final String UPLOT_PROPERTIES = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final String[] OWN_FILES = {"console.css", "console.js", "favicon.svg", "overview.js", "cells.js",
            "hosts.js", "endpoints.js", "endpoint.js", "moves.js", "events.js", "sync.js"};

    private record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final Map<String, Asset> assets = new HashMap<>();

    ConsoleAssets() {
        for (String file : OWN_FILES) {
            assets.put(file, load(OWN + file));
        }
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        assets.put("uPlot.iife.min.js", load(uplot + "uPlot.iife.min.js"));
        assets.put("uPlot.min.css", load(uplot + "uPlot.min.css"));
        assets.put("uPlot.LICENSE.txt", load("META-INF/resources/webjars/uplot/" + uplotVersion() + "/LICENSE"));
    }

    /** {@code GET /console/assets/{file}}. */
    void serve(Context ctx) {
        Asset asset = assets.get(ctx.pathParam("file"));
        if (asset == null) {
            ctx.status(404).contentType("text/plain").result("no such console asset");
            return;
        }
        ctx.header("ETag", asset.etag()).header("Cache-Control", "no-cache").header("X-Content-Type-Options", "nosniff");
        if (asset.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }

    private static String uplotVersion() {
        Properties properties = new Properties();
        try (InputStream in = resource(UPLOT_PROPERTIES)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static Asset load(String path) {
        try (InputStream in = resource(path)) {
            byte[] bytes = in.readAllBytes();
            return new Asset(bytes, contentType(path), "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 8) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console asset " + path, e);
        }
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException("the console asset " + path + " is missing from the classpath");
        }
        return in;
    }

    private static String contentType(String path) {
        if (path.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (path.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        } else if (path.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "text/plain; charset=utf-8";
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
