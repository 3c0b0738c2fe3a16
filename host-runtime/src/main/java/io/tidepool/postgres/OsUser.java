package io.tidepool.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The unprivileged OS user computes run as. Postgres refuses to run as root; when the agent is
 * root it runs Postgres as this user (made with useradd when missing), otherwise as itself.
 */
public final class OsUser {
    private final String name;
    private final boolean switchUser;

    private OsUser(String name, boolean switchUser) {
        this.name = name;
        this.switchUser = switchUser;
    }

    /** As root: {@code name}, made if missing. Not root: the user the agent runs as. */
    public static OsUser forComputes(String name) throws IOException, InterruptedException {
        String self = System.getProperty("user.name");
        if (!"root".equals(self)) {
            return new OsUser(self, false);
        }
        if (!exists(name)) {
            Commands.run(List.of("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", name));
        }
        return new OsUser(name, true);
    }

    public String name() {
        return name;
    }

    /** {@code command} run as this user: through setpriv when the agent is root, unchanged otherwise. */
    public List<String> command(List<String> command) {
        if (!switchUser) {
            return command;
        }
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=" + name, "--regid=" + name, "--init-groups",
                "--reset-env"));
        full.addAll(command);
        return full;
    }

    /** Gives {@code path} (a directory the agent made) to this user. */
    public void own(Path path) throws IOException {
        if (switchUser) {
            UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(path, users.lookupPrincipalByName(name));
            Files.getFileAttributeView(path, PosixFileAttributeView.class)
                    .setGroup(users.lookupPrincipalByGroupName(name));
        }
    }

    /**
     * Fails, naming the directory, when this user could not reach {@code dir} because a directory
     * above it lets only its owner through (as {@code /root} does).
     */
    public void checkReachable(Path dir) throws IOException {
        if (!switchUser) {
            return;
        }
        for (Path above = dir.toAbsolutePath().getParent(); above != null; above = above.getParent()) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(above);
            if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("computes run as " + name + ", who cannot reach " + dir + ": " + above
                        + " lets only its owner through; choose a directory elsewhere, such as /var/lib/tidepool");
            }
        }
    }

    private static boolean exists(String name) throws IOException {
        try {
            Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
            return true;
        } catch (UserPrincipalNotFoundException e) {
            return false;
        }
    }
}
