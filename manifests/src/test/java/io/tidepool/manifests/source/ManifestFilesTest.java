package io.tidepool.manifests.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestFilesTest {
    private static final ByteArrayInputStream NO_STDIN = new ByteArrayInputStream(new byte[0]);
    private final ManifestFiles files = new ManifestFiles(1024);

    @TempDir
    Path dir;

    @Test
    void readsADirectoryRecursivelyInPathOrderSkippingHiddenAndOtherFiles() throws IOException {
        write("b.yaml", "b");
        write("a/z.yml", "z");
        write("a/notes.txt", "not a manifest");
        write(".git/config.yaml", "hidden");

        List<ManifestFile> read = files.read(List.of(dir.toString()), NO_STDIN);

        assertThat(read).extracting(ManifestFile::source)
                .containsExactly(dir.resolve("a/z.yml").toString(), dir.resolve("b.yaml").toString());
    }

    @Test
    void readsStdinForADash() {
        List<ManifestFile> read = files.read(List.of("-"),
                new ByteArrayInputStream("kind: Cell".getBytes(StandardCharsets.UTF_8)));

        assertThat(read).containsExactly(new ManifestFile("<stdin>", "kind: Cell"));
    }

    @Test
    void namesAMissingPath() {
        assertThatThrownBy(() -> files.read(List.of(dir.resolve("nope.yaml").toString()), NO_STDIN))
                .isInstanceOf(ManifestReadException.class)
                .hasMessage(dir.resolve("nope.yaml") + ": no such file or directory");
    }

    @Test
    void refusesAFileOverTheLimitWithoutReadingIt() throws IOException {
        write("big.yaml", "x".repeat(2000));

        assertThatThrownBy(() -> files.read(List.of(dir.resolve("big.yaml").toString()), NO_STDIN))
                .hasMessageContaining("big.yaml: file is 2000 bytes, more than the limit of 1024 bytes");
    }

    @Test
    void refusesADirectoryWithoutManifests() {
        assertThatThrownBy(() -> files.read(List.of(dir.toString()), NO_STDIN))
                .hasMessage(dir + ": no .yaml or .yml files in this directory");
    }

    @Test
    void refusesTextThatIsNotUtf8() throws IOException {
        Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', (byte) 0xE9, 'b'});

        assertThatThrownBy(() -> files.read(List.of(dir.resolve("latin1.yaml").toString()), NO_STDIN))
                .hasMessageEndingWith("latin1.yaml: not UTF-8 text");
    }

    private void write(String relative, String text) throws IOException {
        Path path = dir.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
