package io.tidepool.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
    @TempDir
    Path dataDir;

    @Test
    void makesAnOwnerOnlyTokenOnTheFirstStartAndKeepsIt() throws Exception {
        String first = AdminToken.loadOrCreate(dataDir);
        String again = AdminToken.loadOrCreate(dataDir);

        assertThat(first).startsWith("tp_").hasSizeGreaterThan(40).isEqualTo(again);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(AdminToken.FILE_NAME))))
                .isEqualTo("rw-------");
    }

    @Test
    void makesADifferentTokenForEachDataDir(@TempDir Path other) throws Exception {
        assertThat(AdminToken.loadOrCreate(dataDir)).isNotEqualTo(AdminToken.loadOrCreate(other));
    }
}
