package io.tidepool.manifests.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.manifests.source.ManifestFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTreeTest {
    @TempDir
    Path dir;

    private GitRepositoryFixture origin;
    private GitMirror mirror;
    private GitCommandLine git;

    @BeforeEach
    void makeOrigin() {
        GitRepositoryFixture.assumeGit();
        origin = GitRepositoryFixture.init(dir.resolve("origin"));
        git = new GitCommandLine("git", dir.resolve("cache/tmp"));
        mirror = new GitMirror(git, RepositoryAddress.parse(origin.dir().toString(), dir), dir.resolve("cache"),
                GitMirror.Timeouts.DEFAULT);
    }

    private CommitManifests read(String path) {
        return read(path, TreeLimits.DEFAULTS);
    }

    private CommitManifests read(String path, TreeLimits limits) {
        String commit = mirror.fetch(Optional.of("main")).commit();
        return new ManifestTree(git, mirror.directory(), limits, GitMirror.Timeouts.DEFAULT.local())
                .read(commit, RepositoryPath.parse(path));
    }

    @Test
    void readsTheManifestsUnderThePathNamedByTheirPathInTheRepository() {
        origin.write("deploy/endpoints.yaml", "kind: Endpoint\n")
                .write("deploy/cells/eu.yml", "kind: Cell\n")
                .write("deploy/README.md", "not a manifest")
                .write("deploy/.github/workflow.yaml", "hidden")
                .write("other/ignored.yaml", "outside the path")
                .write("deploy2/ignored.yaml", "a sibling whose name begins alike")
                .commit("manifests");

        CommitManifests read = read("deploy");

        assertThat(read.readable()).isTrue();
        assertThat(read.files()).containsExactly(
                new ManifestFile("deploy/cells/eu.yml", "kind: Cell\n"),
                new ManifestFile("deploy/endpoints.yaml", "kind: Endpoint\n"));
    }

    @Test
    void readsExactlyTheCommitAskedForWhenTheBranchHasMovedOn() {
        String first = origin.write("deploy/a.yaml", "version: 1\n").commit("first");
        mirror.fetch(Optional.of("main"));
        origin.write("deploy/a.yaml", "version: 2\n").write("deploy/b.yaml", "new\n").commit("second");
        mirror.fetch(Optional.of("main"));

        CommitManifests read = new ManifestTree(git, mirror.directory(), TreeLimits.DEFAULTS, GitMirror.Timeouts.DEFAULT.local())
                .read(first, RepositoryPath.parse("deploy"));

        assertThat(read.files()).containsExactly(new ManifestFile("deploy/a.yaml", "version: 1\n"));
    }

    @Test
    void readsTheWholeRepositoryOrOneFile() {
        origin.write("a.yaml", "a\n").write("deploy/b.yaml", "b\n").commit("two files");

        assertThat(read("").files()).extracting(ManifestFile::source).containsExactly("a.yaml", "deploy/b.yaml");
        assertThat(read("deploy/b.yaml").files()).containsExactly(new ManifestFile("deploy/b.yaml", "b\n"));
    }

    @Test
    void aMissingPathIsAProblemNeverAnEmptySet() {
        String commit = origin.write("deploy/a.yaml", "a\n").commit("first");

        CommitManifests read = read("deploy/prod");

        assertThat(read.files()).isEmpty();
        assertThat(read.problems()).extracting(TreeProblem::format)
                .containsExactly("deploy/prod: no such file or directory in commit " + commit.substring(0, 12));
    }

    @Test
    void aPathWithoutManifestsIsAProblem() {
        String commit = origin.write("deploy/README.md", "nothing to apply").commit("first");

        assertThat(read("deploy").problems()).extracting(TreeProblem::format)
                .containsExactly("deploy: no .yaml or .yml files here in commit " + commit.substring(0, 12));
    }

    @Test
    void namesAFileOverTheLimitAndReadsNothing() {
        origin.write("deploy/a.yaml", "small\n").write("deploy/big.yaml", "x".repeat(2000)).commit("big");

        CommitManifests read = read("deploy", new TreeLimits(1024, 10, 1 << 20));

        assertThat(read.files()).isEmpty();
        assertThat(read.problems()).extracting(TreeProblem::format)
                .containsExactly("deploy/big.yaml: file is 2000 bytes, more than the limit of 1024 bytes per manifest file");
    }

    @Test
    void boundsTheNumberOfFilesAndTheirTotalSize() {
        origin.write("deploy/a.yaml", "x".repeat(600)).write("deploy/b.yaml", "x".repeat(600))
                .write("deploy/c.yaml", "x".repeat(600)).commit("three");

        assertThat(read("deploy", new TreeLimits(1024, 2, 1 << 20)).problems()).extracting(TreeProblem::format)
                .containsExactly("deploy: 3 manifest files, more than the limit of 2");
        assertThat(read("deploy", new TreeLimits(1024, 10, 1500)).problems()).extracting(TreeProblem::format)
                .containsExactly("deploy: manifest files total 1800 bytes, more than the limit of 1500 bytes");
    }

    @Test
    void namesAFileThatIsNotUtf8() {
        origin.write("deploy/a.yaml", new byte[] {'a', ':', ' ', (byte) 0xff, '\n'}).commit("latin-1");

        assertThat(read("deploy").problems()).extracting(TreeProblem::format).containsExactly("deploy/a.yaml: not UTF-8 text");
    }

    @Test
    void refusesASymbolicLinkWhoseTargetTheCommitDoesNotHold() throws IOException {
        origin.write("deploy/a.yaml", "a\n");
        Files.createSymbolicLink(origin.dir().resolve("deploy/linked.yaml"), Path.of("/etc/hostname"));
        origin.commit("a link");

        assertThat(read("deploy").problems()).extracting(TreeProblem::format)
                .containsExactly("deploy/linked.yaml: a symbolic link: sync reads only files the commit holds");
    }
}
