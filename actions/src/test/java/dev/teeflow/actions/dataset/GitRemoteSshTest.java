package dev.teeflow.actions.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitRemoteSshTest {
    @Test
    void scpLikeAndSshUrlsAreSshRemotes() {
        GitRemote scp = GitRemote.parse("git@github.com:me/data.git");
        assertThat(scp.isSsh()).isTrue();
        assertThat(scp).extracting(GitRemote::host, GitRemote::owner, GitRemote::repo).containsExactly("github.com", "me", "data");
        assertThat(RawUrlTemplate.builtIn(scp)).contains(RawUrlTemplate.GITHUB);

        GitRemote url = GitRemote.parse("ssh://git@gitlab.com:2222/group/sub/data.git");
        assertThat(url.isSsh()).isTrue();
        // The SSH port is not the web server's: it stays out of {host}, so gitlab.com's pattern applies.
        assertThat(url).extracting(GitRemote::host, GitRemote::owner, GitRemote::repo).containsExactly("gitlab.com", "group/sub", "data");
        assertThat(url.display()).isEqualTo("ssh://git@gitlab.com:2222/group/sub/data.git");
        assertThat(GitRemote.parse("git+ssh://git@host/x/y.git").isSsh()).isTrue();
    }

    @Test
    void httpsFileAndLocalPathsAreNot() {
        assertThat(GitRemote.parse("https://github.com/me/data.git").isSsh()).isFalse();
        assertThat(GitRemote.parse("http://127.0.0.1:8080/me/data.git").host()).isEqualTo("127.0.0.1:8080");
        assertThat(GitRemote.parse("file:///srv/git/data.git").isSsh()).isFalse();
        assertThat(GitRemote.parse("/srv/git/data.git").isSsh()).isFalse();
        assertThat(GitRemote.parse("https://tok3n-value@github.com/me/data.git").display()).doesNotContain("tok3n-value");
        assertThat(GitRemote.parse("ssh://me:pa55word@host/x.git").display()).doesNotContain("pa55word");
    }
}
