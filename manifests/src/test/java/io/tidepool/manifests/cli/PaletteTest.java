package io.tidepool.manifests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PaletteTest {

    @Test
    void coloursOnlyATerminalThatNobodyAskedToKeepPlain() {
        assertThat(Palette.choose(false, Map.of("TERM", "xterm-256color"), true).green("created"))
                .isEqualTo("\u001b[32mcreated\u001b[0m");
        assertThat(Palette.choose(false, Map.of(), false).green("created")).as("not a terminal").isEqualTo("created");
        assertThat(Palette.choose(true, Map.of(), true).green("created")).as("--no-color").isEqualTo("created");
        assertThat(Palette.choose(false, Map.of("NO_COLOR", ""), true).green("created")).as("NO_COLOR").isEqualTo("created");
        assertThat(Palette.choose(false, Map.of("TERM", "dumb"), true).green("created")).as("TERM=dumb").isEqualTo("created");
    }

    @Test
    void coloursADiffByLineKind() {
        Palette palette = Palette.choose(false, Map.of(), true);

        String coloured = palette.diff("--- live/Endpoint/shop\n+++ applied/Endpoint/shop\n@@ -1 +1 @@\n-  maxCu: 2\n+  maxCu: 3\n");

        assertThat(coloured.split("\n")).containsExactly("\u001b[1m--- live/Endpoint/shop\u001b[0m",
                "\u001b[1m+++ applied/Endpoint/shop\u001b[0m", "\u001b[36m@@ -1 +1 @@\u001b[0m", "\u001b[31m-  maxCu: 2\u001b[0m",
                "\u001b[32m+  maxCu: 3\u001b[0m");
        assertThat(Palette.PLAIN.diff("-a\n+b\n")).isEqualTo("-a\n+b\n");
    }
}
