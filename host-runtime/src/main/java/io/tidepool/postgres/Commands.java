package io.tidepool.postgres;

import java.io.IOException;
import java.util.List;

/** Running the short commands around a server (initdb, useradd, kill) and failing with what they said. */
public final class Commands {

    private Commands() {
    }

    public static void run(List<String> command) throws IOException, InterruptedException {
        output(command);
    }

    /** Runs the command and returns what it printed, stdout and stderr together. */
    public static String output(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).trim();
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                    + (output.isEmpty() ? "no output" : output));
        }
        return output;
    }
}
