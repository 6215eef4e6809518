package dev.teeflow.devnet.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Builds the test app image without any registry: a rootfs with Debian's busybox-static and the app
 * script, {@code docker import}ed with an ENTRYPOINT (what scripts/base-images.sh does for teeflow-test/busybox).
 */
final class TestImages {
    static final String APP_IMAGE = "teeflow-test/worker-app:1";

    /**
     * The app: {@code ok <words>} reads the dataset and requester secret 1 and writes result.txt + computed.json;
     * {@code fail} prints a line holding the secret and exits 3; {@code nocomputed} writes no computed.json; {@code leak} links a host path into /iexec_out.
     */
    static final String APP_SCRIPT = """
            #!/bin/sh
            mode="$1"; shift
            echo "simulated app starting in mode $mode for task $IEXEC_TASK_ID"
            echo "secret is $IEXEC_REQUESTER_SECRET_1"
            if [ "$mode" = fail ]; then
              echo "boom: cannot handle $IEXEC_REQUESTER_SECRET_1" >&2
              exit 3
            fi
            if [ "$mode" = leak ]; then
              ln -s /etc/hostname "$IEXEC_OUT/x"
              echo '{"deterministic-output-path":"/iexec_out/x"}' > "$IEXEC_OUT/computed.json"
              exit 0
            fi
            data=$(cat "$IEXEC_IN/$IEXEC_DATASET_FILENAME")
            printf '%s|%s|%s|%s\\n' "$data" "$IEXEC_REQUESTER_SECRET_1" "$*" "$IEXEC_DATASET_FILENAME" > "$IEXEC_OUT/result.txt"
            if [ "$mode" != nocomputed ]; then
              echo '{"deterministic-output-path":"/iexec_out/result.txt"}' > "$IEXEC_OUT/computed.json"
            fi
            echo done
            """;

    private TestImages() {
    }

    static void buildAppImage() throws IOException, InterruptedException {
        Path root = Files.createTempDirectory("worker-app-rootfs");
        try {
            Files.createDirectories(root.resolve("bin"));
            Files.createDirectories(root.resolve("tmp"));
            Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
            for (String applet : new String[] {"sh", "cat", "echo", "printf", "sleep", "ls", "ln"}) {
                Files.createSymbolicLink(root.resolve("bin/" + applet), Path.of("busybox"));
            }
            Files.writeString(root.resolve("app.sh"), APP_SCRIPT, StandardCharsets.UTF_8);
            run("tar --numeric-owner -C " + root + " -c . | docker import --change 'ENV PATH=/bin' "
                    + "--change 'ENTRYPOINT [\"/bin/sh\",\"/app.sh\"]' - " + APP_IMAGE);
        } finally {
            run("rm -rf " + root);
        }
    }

    static void run(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("command failed: " + command + "\n" + out);
        }
    }
}
