package dev.teeflow.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every setting the teeflow step accepts is documented in docs/jenkins.md and in its help page, vars/teeflow.txt. */
class DocumentedSettingsTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @Test
    void everySettingTheStepAcceptsIsDocumented() throws Exception {
        // The step's own error lists the settings it knows: what a user can give is what is checked here.
        Throwable refused = catchThrowable(() -> new PipelineMock().teeflow(Map.of("no-such-setting", 1), null));
        String message = String.valueOf(refused.getMessage());
        assertThat(message).contains("known: ");
        List<String> known = List.of(message.substring(message.indexOf("known: ") + 7).strip().split(",\\s*"));
        assertThat(known).contains("command", "file");

        String page = Files.readString(REPO.resolve("docs/jenkins.md"));
        String help = Files.readString(REPO.resolve("jenkins/vars/teeflow.txt"));
        List<String> undocumented = new ArrayList<>();
        for (String setting : known) {
            if (!page.contains("`" + setting + "`")) {
                undocumented.add("setting '" + setting + "' of the teeflow step is not in docs/jenkins.md's settings table");
            }
            if (!help.contains("<code>" + setting + "</code>")) {
                undocumented.add("setting '" + setting + "' of the teeflow step is not in jenkins/vars/teeflow.txt");
            }
        }
        assertThat(undocumented).isEmpty();
    }
}
