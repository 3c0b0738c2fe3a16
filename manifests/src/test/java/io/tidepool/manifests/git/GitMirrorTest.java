package io.tidepool.manifests.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitMirrorTest {
    @TempDir
    Path dir;

    private GitRepositoryFixture origin;
    private GitCommandLine git;

    @BeforeEach
    void makeOrigin() {
        GitRepositoryFixture.assumeGit();
        origin = GitRepositoryFixture.init(dir.resolve("origin"));
        git = new GitCommandLine("git", dir.resolve("cache/tmp"));
    }

    private GitMirror mirrorOf(String location) {
        return new GitMirror(git, RepositoryAddress.parse(location, dir), dir.resolve("cache"), GitMirror.Timeouts.DEFAULT);
    }

    @Test
    void fetchesTheHeadOfTheBranchIntoItsCache() {
        String first = origin.write("deploy/a.yaml", "a: 1\n").commit("first");
        GitMirror mirror = mirrorOf(origin.dir().toString());

        BranchHead head = mirror.fetch(Optional.of("main"));

        assertThat(head).isEqualTo(new BranchHead("main", first));
        assertThat(mirror.hasCommit(first)).isTrue();
        assertThat(mirror.directory()).startsWith(dir.resolve("cache")).isDirectory();
    }

    @Test
    void seesEachNewCommitOnTheNextFetch() {
        origin.write("deploy/a.yaml", "a: 1\n").commit("first");
        GitMirror mirror = mirrorOf(origin.dir().toString());
        mirror.fetch(Optional.of("main"));

        String second = origin.write("deploy/a.yaml", "a: 2\n").commit("second");

        assertThat(mirror.fetch(Optional.of("main")).commit()).isEqualTo(second);
        assertThat(mirror.hasCommit(second)).isTrue();
    }

    @Test
    void followsTheBranchTheRemoteHeadNamesWhenNoneIsGiven() {
        origin.checkoutNewBranch("trunk");
        String commit = origin.write("a.yaml", "a: 1\n").commit("on trunk");

        assertThat(mirrorOf(origin.dir().toString()).fetch(Optional.empty())).isEqualTo(new BranchHead("trunk", commit));
    }

    @Test
    void readsAnotherBranchWhenAsked() {
        String onMain = origin.write("a.yaml", "a: 1\n").commit("on main");
        origin.checkoutNewBranch("staging");
        String onStaging = origin.write("a.yaml", "a: 2\n").commit("on staging");
        GitMirror mirror = mirrorOf(origin.dir().toString());

        assertThat(mirror.fetch(Optional.of("staging")).commit()).isEqualTo(onStaging);
        assertThat(mirror.fetch(Optional.of("main")).commit()).isEqualTo(onMain);
    }

    @Test
    void namesABranchThatDoesNotExist() {
        origin.write("a.yaml", "a: 1\n").commit("first");

        assertThatThrownBy(() -> mirrorOf(origin.dir().toString()).fetch(Optional.of("release")))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.reason()).isEqualTo(GitException.Reason.NO_SUCH_BRANCH))
                .hasMessage("no branch release in " + origin.dir());
    }

    @Test
    void saysARepositoryWithoutCommitsHasNone() {
        assertThatThrownBy(() -> mirrorOf(origin.dir().toString()).fetch(Optional.empty()))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.reason()).isEqualTo(GitException.Reason.NO_SUCH_BRANCH))
                .hasMessage(origin.dir() + " has no commits yet");
    }

    @Test
    void saysWhyARepositoryCannotBeReached() {
        Path nowhere = dir.resolve("no-such-repository");

        assertThatThrownBy(() -> mirrorOf(nowhere.toString()).fetch(Optional.of("main")))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.reason()).isEqualTo(GitException.Reason.UNREACHABLE))
                .hasMessageContaining("cannot reach " + nowhere)
                .hasMessageContaining("does not appear to be a git repository");
    }

    @Test
    void refusesABranchNameGitWouldTakeForAnOption() {
        assertThatThrownBy(() -> mirrorOf(origin.dir().toString()).fetch(Optional.of("--upload-pack=x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a branch name");
    }

    @Test
    void saysHowToGetGitWhenItIsMissing() {
        GitMirror mirror = new GitMirror(new GitCommandLine(dir.resolve("no-git-here").toString(), dir.resolve("tmp")),
                RepositoryAddress.parse(origin.dir().toString(), dir), dir.resolve("cache"), GitMirror.Timeouts.DEFAULT);

        assertThatThrownBy(() -> mirror.fetch(Optional.of("main")))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.reason()).isEqualTo(GitException.Reason.GIT_MISSING))
                .hasMessageContaining("install it (apt-get install git)");
    }

    @Test
    void stopsAGitThatTakesLongerThanItsLimit() throws IOException {
        Path hangingGit = dir.resolve("hanging-git");
        Files.writeString(hangingGit, "#!/bin/sh\nexec sleep 60\n");
        Files.setPosixFilePermissions(hangingGit, PosixFilePermissions.fromString("rwx------"));
        // As if an earlier run had made the cache, so the first git command is the one that reaches out.
        Path cache = dir.resolve("cache").resolve(RepositoryAddress.parse(origin.dir().toString(), dir).cacheName());
        Files.createDirectories(cache);
        Files.writeString(cache.resolve("HEAD"), "ref: refs/heads/main\n");
        GitMirror mirror = new GitMirror(new GitCommandLine(hangingGit.toString(), dir.resolve("tmp")),
                RepositoryAddress.parse(origin.dir().toString(), dir), dir.resolve("cache"),
                new GitMirror.Timeouts(Duration.ofMillis(200), Duration.ofMillis(200)));

        assertThatThrownBy(() -> mirror.fetch(Optional.of("main")))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.reason()).isEqualTo(GitException.Reason.TIMED_OUT))
                .hasMessage("git ls-remote did not finish within 200ms and was stopped");
    }
}
