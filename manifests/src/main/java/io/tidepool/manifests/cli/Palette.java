package io.tidepool.manifests.cli;

import java.util.Map;

/**
 * Colour for a terminal: ANSI escapes only when stdout is one, {@code --no-color} was not given,
 * {@code NO_COLOR} is not set (no-color.org) and {@code TERM} is not {@code dumb}; plain text
 * otherwise, so pipes, files and scripts never see escapes.
 */
final class Palette {
    static final Palette PLAIN = new Palette(false);
    private static final String RESET = "\u001b[0m";
    private final boolean enabled;

    private Palette(boolean enabled) {
        this.enabled = enabled;
    }

    static Palette choose(boolean noColorFlag, Map<String, String> env, boolean stdoutIsTerminal) {
        boolean wanted = !noColorFlag && !env.containsKey("NO_COLOR") && !"dumb".equals(env.get("TERM"));
        return wanted && stdoutIsTerminal ? new Palette(true) : PLAIN;
    }

    String green(String text) {
        return paint("32", text);
    }

    String yellow(String text) {
        return paint("33", text);
    }

    String red(String text) {
        return paint("31", text);
    }

    String cyan(String text) {
        return paint("36", text);
    }

    String dim(String text) {
        return paint("2", text);
    }

    String bold(String text) {
        return paint("1", text);
    }

    /** How an apply's action word is shown: what changes stands out, what did not recedes. */
    String action(String action) {
        return switch (action) {
            case "created" -> green(action);
            case "configured" -> yellow(action);
            case "pruned" -> red(action);
            case "unchanged", "kept" -> dim(action);
            default -> action;
        };
    }

    /** A unified diff with removed lines red, added green and hunk headers cyan. */
    String diff(String unified) {
        if (!enabled || unified.isEmpty()) {
            return unified;
        }
        StringBuilder out = new StringBuilder(unified.length() + 64);
        for (String line : unified.split("\n", -1)) {
            if (line.startsWith("+++") || line.startsWith("---")) {
                out.append(bold(line));
            } else if (line.startsWith("+")) {
                out.append(green(line));
            } else if (line.startsWith("-")) {
                out.append(red(line));
            } else if (line.startsWith("@@")) {
                out.append(cyan(line));
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    private String paint(String code, String text) {
        return enabled && !text.isEmpty() ? "\u001b[" + code + "m" + text + RESET : text;
    }
}
