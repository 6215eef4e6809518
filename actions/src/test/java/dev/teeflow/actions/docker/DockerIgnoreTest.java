package dev.teeflow.actions.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DockerIgnoreTest {
    @Test
    void plainNamesMatchAtTheContextRootOnlyButExcludeWholeFolders() {
        DockerIgnore ignore = DockerIgnore.parse("node_modules\n.git\n");
        assertThat(ignore.isExcluded("node_modules")).isTrue();
        assertThat(ignore.isExcluded("node_modules/a/b.js")).isTrue();
        assertThat(ignore.isExcluded(".git/HEAD")).isTrue();
        assertThat(ignore.isExcluded("src/node_modules/x.js")).isFalse();
        assertThat(ignore.isExcluded("app.py")).isFalse();
    }

    @Test
    void starAndQuestionMarkStayWithinOneFolder() {
        DockerIgnore ignore = DockerIgnore.parse("*.md\ndocs/?.txt\n");
        assertThat(ignore.isExcluded("README.md")).isTrue();
        assertThat(ignore.isExcluded("docs/README.md")).isFalse();
        assertThat(ignore.isExcluded("docs/a.txt")).isTrue();
        assertThat(ignore.isExcluded("docs/ab.txt")).isFalse();
    }

    @Test
    void doubleStarCrossesAnyNumberOfFoldersIncludingNone() {
        DockerIgnore ignore = DockerIgnore.parse("**/*.pyc\nbuild/**\n**/tmp\n");
        assertThat(ignore.isExcluded("x.pyc")).isTrue();
        assertThat(ignore.isExcluded("a/b/c/x.pyc")).isTrue();
        assertThat(ignore.isExcluded("a/x.py")).isFalse();
        assertThat(ignore.isExcluded("build/out/lib.so")).isTrue();
        assertThat(ignore.isExcluded("tmp")).isTrue();
        assertThat(ignore.isExcluded("deep/down/tmp/file")).isTrue();
        assertThat(ignore.isExcluded("builder/x")).isFalse();
    }

    @Test
    void theLastMatchingPatternWinsSoExceptionsBringFilesBack() {
        DockerIgnore ignore = DockerIgnore.parse("*.md\n!README.md\nREADME*.md\n!README-keep.md\n");
        assertThat(ignore.isExcluded("CHANGES.md")).isTrue();
        assertThat(ignore.isExcluded("README.md")).isTrue();      // re-excluded by README*.md
        assertThat(ignore.isExcluded("README-keep.md")).isFalse();
        DockerIgnore data = DockerIgnore.parse("data\n!data/keep.csv\n");
        assertThat(data.isExcluded("data/drop.csv")).isTrue();
        assertThat(data.isExcluded("data/keep.csv")).isFalse();
        assertThat(data.canSkipFolder("data")).isFalse();          // an exception may bring something back
        assertThat(DockerIgnore.parse("data\n").canSkipFolder("data")).isTrue();
    }

    @Test
    void commentsBlankLinesLeadingSlashesDotsAndClassesAreHandledLikeDocker() {
        DockerIgnore ignore = DockerIgnore.parse("\uFEFF# a comment\n\n  /secret.txt  \n./logs/*.log\n"
                + "a/../b.bin\nfile[0-9].dat\nx[!a].y\nweird\\*name\n");
        assertThat(ignore.isExcluded("# a comment")).isFalse();
        assertThat(ignore.isExcluded("secret.txt")).isTrue();
        assertThat(ignore.isExcluded("logs/today.log")).isTrue();
        assertThat(ignore.isExcluded("b.bin")).isTrue();
        assertThat(ignore.isExcluded("file7.dat")).isTrue();
        assertThat(ignore.isExcluded("fileX.dat")).isFalse();
        assertThat(ignore.isExcluded("xb.y")).isTrue();
        assertThat(ignore.isExcluded("xa.y")).isFalse();
        assertThat(ignore.isExcluded("weird*name")).isTrue();
        assertThat(ignore.isExcluded("weirdXname")).isFalse();
        // regex metacharacters in patterns are literal
        assertThat(DockerIgnore.parse("a+b.(c)\n").isExcluded("a+b.(c)")).isTrue();
        assertThat(DockerIgnore.parse("a.b\n").isExcluded("axb")).isFalse();
    }

    @Test
    void aLoneExclamationMarkIsAnError() {
        assertThatThrownBy(() -> DockerIgnore.parse("!\n")).hasMessageContaining("illegal exception pattern");
    }

    @Test
    void noRulesExcludeNothing() {
        assertThat(DockerIgnore.none().isExcluded("anything/at/all")).isFalse();
    }
}
