package io.tidepool.sim.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Records a Java Flight Recorder profile of one phase of a run into {@code <dir>/<phase>.jfr}, so
 * that what is slow in one phase is not drowned by the others. Does nothing without a directory.
 */
final class PhaseRecorder {
    private final Path dir;
    private Recording recording;
    private String phase;

    /** @param dir where recordings go; null records nothing */
    PhaseRecorder(Path dir) {
        this.dir = dir;
    }

    void start(String phaseName) {
        if (dir == null) {
            return;
        }
        try {
            recording = new Recording(Configuration.getConfiguration("profile"));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("the JFR 'profile' settings are unavailable", e);
        }
        phase = phaseName;
        recording.start();
    }

    void stop() {
        if (recording == null) {
            return;
        }
        try {
            recording.stop();
            recording.dump(dir.resolve(phase + ".jfr"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the recording of " + phase, e);
        } finally {
            recording.close();
            recording = null;
        }
    }
}
