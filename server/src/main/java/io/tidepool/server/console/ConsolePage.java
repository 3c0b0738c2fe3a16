package io.tidepool.server.console;

import io.tidepool.server.auth.TokenRegistry;
import java.time.Instant;
import java.util.List;

/**
 * The HTML the server writes: the shell of each console page (its data comes from the page's live
 * view) and the login pages. Plain strings: the shells hold no data but a name from the path,
 * which is escaped.
 */
final class ConsolePage {
    /** A page of the console: its path under /console, its title and its script. */
    enum Kind {
        overview("", "Overview"), cells("cells", "Cells"), hosts("hosts", "Hosts"), endpoints("endpoints", "Endpoints"),
        endpoint(null, "Endpoint"), moves("moves", "Moves"), events("events", "Events"), sync("sync", "Git sync");

        final String path;
        final String title;

        Kind(String path, String title) {
            this.path = path;
            this.title = title;
        }
    }

    private static final List<Kind> NAVIGATION = List.of(Kind.overview, Kind.cells, Kind.hosts, Kind.endpoints, Kind.moves,
            Kind.events, Kind.sync);

    private ConsolePage() {
    }

    /** The shell of a page; {@code subject} is the endpoint's name on its page, else null. */
    static String shell(Kind page, String subject, String node) {
        Kind current = page == Kind.endpoint ? Kind.endpoints : page;
        StringBuilder nav = new StringBuilder();
        for (Kind item : NAVIGATION) {
            nav.append("<a href=\"/console/").append(item.path).append('"')
                    .append(item == current ? " aria-current=\"page\"" : "").append('>').append(item.title).append("</a>");
        }
        String title = subject == null ? page.title : subject;
        boolean chart = page == Kind.endpoint;
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + " · Tidepool</title>"
                + "<link rel=\"icon\" href=\"/console/assets/favicon.svg\">"
                + "<link rel=\"stylesheet\" href=\"/console/assets/console.css\">"
                + (chart ? "<link rel=\"stylesheet\" href=\"/console/assets/uPlot.min.css\">" : "")
                + "</head><body data-page=\"" + page.name() + "\"" + (subject == null ? "" : " data-subject=\"" + escape(subject) + "\"") + ">"
                + "<header class=\"top\"><a class=\"brand\" href=\"/console/\">Tidepool</a><nav>" + nav + "</nav>"
                + "<span class=\"node\">node " + escape(node) + "</span>"
                + "<span id=\"live\" class=\"live\" data-state=\"connecting\">connecting</span>"
                + "<form method=\"post\" action=\"/console/logout\"><button type=\"submit\">Log out</button></form></header>"
                + "<main id=\"main\"><p class=\"quiet\">Loading…</p></main>"
                + (chart ? "<script src=\"/console/assets/uPlot.iife.min.js\"></script>" : "")
                + "<script src=\"/console/assets/console.js\"></script>"
                + "<script src=\"/console/assets/" + page.name() + ".js\"></script>"
                + "</body></html>";
    }

    static String loginNeeded(boolean loggedIn, String from) {
        String body = loggedIn
                ? "<p>You are logged in. <a href=\"/console/\">Open the console</a>.</p>"
                : ("logout".equals(from) ? "<p>You are logged out.</p>" : "")
                + "<p>Log in with the link that <code>tidepool up</code> printed, the line that starts with "
                + "<code>console:</code>. A link works once and for " + ConsoleLogin.CODE_LIFETIME.toMinutes() + " minutes.</p>"
                + "<p>For a new link (another browser, another node of the cluster, or after it expired), run</p>"
                + "<pre>./tidepool console-link</pre><p>and open the link it prints.</p>";
        return plain("Log in to Tidepool", body);
    }

    static String loginRefused(TokenRegistry.Exchange.Outcome outcome, Instant at, boolean loggedIn) {
        String why = switch (outcome) {
            case alreadyUsed -> "This login link was already used" + (at == null ? "" : " (at " + at + ")")
                    + ". A link works once: it logged in the browser that opened it first.";
            case expired -> "This login link expired" + (at == null ? "" : " at " + at)
                    + ". A link works for " + ConsoleLogin.CODE_LIFETIME.toMinutes() + " minutes.";
            default -> "This login link is not valid on this cluster: check that it was copied whole.";
        };
        String next = loggedIn ? "<p>This browser is logged in already: <a href=\"/console/\">open the console</a>.</p>"
                : "<p>For a new link, run</p><pre>./tidepool console-link</pre><p>and open the link it prints.</p>";
        return plain("Login link refused", "<p class=\"refused\">" + escape(why) + "</p>" + next);
    }

    static String loggedIn() {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"refresh\" content=\"0;url=/console/\"><title>Logged in · Tidepool</title>"
                + "<link rel=\"stylesheet\" href=\"/console/assets/console.css\"></head>"
                + "<body class=\"plain\"><main><h1>Logged in</h1><p><a href=\"/console/\">Open the console</a>.</p></main></body></html>";
    }

    private static String plain(String title, String body) {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + " · Tidepool</title>"
                + "<link rel=\"stylesheet\" href=\"/console/assets/console.css\"></head>"
                + "<body class=\"plain\"><main><h1>" + escape(title) + "</h1>" + body + "</main></body></html>";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
