package dev.teeflow.protocol.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** devnet.json as the devnet writes it is what the steps and the CLI read, field for field. */
class DevnetInfoTest {
    @TempDir
    Path home;

    static DevnetInfo info() {
        return new DevnetInfo("default", 134134, "http://127.0.0.1:8545", "0xb7", "0xa1", "0xa2", "0xa3", "0xa4",
                "http://127.0.0.1:8546", "http://127.0.0.1:8547", "http://127.0.0.1:8548", "http://127.0.0.1:8549",
                "0xf1", "http://127.0.0.1:8550", "http://127.0.0.1:8550", "tdx",
                List.of(new DevnetInfo.Account("0xf39F", "0xac09", "deployer"), new DevnetInfo.Account("0x9097", "0x7c85", "user")));
    }

    @Test
    void whatTheDevnetWritesReadsBackWholeAtModeOwnerOnly() throws Exception {
        Path file = DevnetInfo.file(home, "default");
        info().write(file);

        assertThat(file).isEqualTo(home.resolve("devnet/default/devnet.json"));
        assertThat(DevnetInfo.read(file)).isEqualTo(info());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(info().account("user").address()).isEqualTo("0x9097");
        assertThat(info().toString()).doesNotContain("0xac09").doesNotContain("0x7c85");
    }

    @Test
    void aFileOfAnOlderDevnetWithoutTheLaterFieldsStillReads() throws Exception {
        Path file = home.resolve("devnet.json");
        Files.writeString(file, """
                {"name":"default","chainId":134134,"rpc":"http://127.0.0.1:8545","hub":"0xb7","sms":"http://127.0.0.1:8546",
                 "someFutureField":1,"accounts":[{"address":"0xf39F","privateKey":"0xac09"}]}
                """);

        DevnetInfo read = DevnetInfo.read(file);

        assertThat(read.workerpoolApi()).isNull();
        assertThat(read.teeFrameworkOrDefault()).isEqualTo("tdx");
        assertThat(read.accounts()).containsExactly(new DevnetInfo.Account("0xf39F", "0xac09", null));
    }

    @Test
    void aMissingOrIncompleteFileIsSaidSo() throws Exception {
        assertThatThrownBy(() -> DevnetInfo.read(home.resolve("none.json"))).isInstanceOf(NoSuchFileException.class);
        Path file = home.resolve("devnet.json");
        Files.writeString(file, "{\"name\":\"default\",\"chainId\":1}");
        assertThatThrownBy(() -> DevnetInfo.read(file)).isInstanceOf(DevnetInfo.Incomplete.class)
                .hasMessageEndingWith("lacks chainId, rpc, hub or sms");
    }
}
