package dev.teeflow.dsl.groovy;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import groovy.lang.GroovyShell;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SecureASTCustomizer behind DslChecker rejects the same escapes on its own. */
class SecureBackstopTest {
    private static GroovyShell shellWithOnlyTheBackstop() {
        CompilerConfiguration cc = new CompilerConfiguration();
        cc.addCompilationCustomizers(Sandbox.secure());
        return new GroovyShell(cc);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "new File('/etc/passwd').text",
        "'id'.execute()",
        "System.getenv('HOME')",
        "import java.net.Socket\n1",
        "while (true) { }",
        "def f() { 1 }",
        "this.class.classLoader",
    })
    void rejects(String script) {
        assertThatThrownBy(() -> shellWithOnlyTheBackstop().parse(script))
                .isInstanceOf(MultipleCompilationErrorsException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipeline { name 'x'; steps { a { type 'command' } } }", "def v = 'a' + 'b'\nk(v)"})
    void acceptsTheDsl(String script) {
        assertThatCode(() -> shellWithOnlyTheBackstop().parse(script)).doesNotThrowAnyException();
    }
}
