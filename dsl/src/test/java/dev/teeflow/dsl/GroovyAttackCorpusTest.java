package dev.teeflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.dsl.groovy.GroovyFrontEnd;
import dev.teeflow.engine.config.InvalidPipelineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attack corpus against the Groovy sandbox (docs/RELIABILITY.md, "Groovy DSL sandbox"): each
 * script tries to run code while the file is only read, as {@code validate} and {@code plan} do. Each
 * must be refused with a line and column, and its side effect (creating the file MARK, ending the
 * JVM) must not happen. A script that ended the JVM would end this test run, so that fails too.
 */
class GroovyAttackCorpusTest {
    @TempDir
    Path dir;

    static Stream<Arguments> attacks() {
        return Stream.of(
                // The critical bypass: closure parameter default values were never checked.
                attack("closure parameter default runs a process (the reported bypass)",
                        "pipeline { apiVersion 'teeflow/v1'; kind 'Pipeline'; name 'innocent'\n"
                                + "  params { p { x = ['touch', 'MARK'].execute().waitFor() -> 'default'('1') } } }"),
                attack("closure parameter default ends the JVM", "pipeline { params { p { x = System.exit(3) -> } } }"),
                attack("closure parameter default in a list", "pipeline { items([{ x = new File('MARK').createNewFile() -> }]) }"),
                attack("typed closure parameter default", "pipeline { steps { a { File f = new File('MARK'), g = f.createNewFile() -> } } }"),
                attack("lambda", "def f = () -> new File('MARK').createNewFile()\npipeline { name f }"),
                attack("method parameter default", "def f(x = new File('MARK').createNewFile()) { }\npipeline { name 'x' }"),
                // Classic calls.
                attack("System.exit", "pipeline { name(System.exit(3)) }"),
                attack("Runtime.exec", "pipeline { name(Runtime.getRuntime().exec('touch MARK')) }"),
                attack("Runtime.exec through properties", "pipeline { name(Runtime.runtime.exec('touch MARK')) }"),
                attack("String.execute", "pipeline { name('touch MARK'.execute().text) }"),
                attack("List.execute", "pipeline { name(['touch', 'MARK'].execute().text) }"),
                attack("execute as a DSL call", "pipeline { execute 'touch MARK' }"),
                attack("unicode escape in a method name", "pipeline { name('touch MARK'.\\u0065xecute()) }"),
                attack("Class.forName", "pipeline { name(Class.forName('java.lang.Runtime').getRuntime().exec('touch MARK')) }"),
                attack("reflection", "pipeline { name(''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null)"
                        + ".exec('touch MARK')) }"),
                attack("getClass as a DSL call", "pipeline { getClass().forName('java.lang.Runtime').runtime.exec('touch MARK') }"),
                attack("a class name as a value", "pipeline { def r = Runtime\n name r }"),
                attack("metaClass of a class", "String.metaClass.toString = { -> 'touch MARK'.execute() }\npipeline { name 'x' }"),
                attack("metaClass of the script", "pipeline { metaClass.invokeMethod = { n, a -> 'touch MARK'.execute() }; name 'x' }"),
                attack("metaClass as a variable", "pipeline { name(metaClass) }"),
                attack("new File", "pipeline { name(new File('MARK').createNewFile()) }"),
                attack("new File, left shift", "pipeline { name(new File('MARK') << 'x') }"),
                attack("java.lang.ProcessBuilder", "pipeline { name(new java.lang.ProcessBuilder('touch', 'MARK').start()) }"),
                attack("Eval", "pipeline { name(Eval.me(\"new File('MARK').createNewFile()\")) }"),
                attack("GroovyShell", "pipeline { name(new GroovyShell().evaluate(\"new File('MARK').createNewFile()\")) }"),
                attack("evaluate at the top", "evaluate(\"new File('MARK').createNewFile()\")\npipeline { name 'x' }"),
                attack("evaluate in the pipeline", "pipeline { name(evaluate(\"new File('MARK').createNewFile()\")) }"),
                attack("run at the top", "run()\npipeline { name 'x' }"),
                attack("Thread.start", "pipeline { name(Thread.start { new File('MARK').createNewFile() }) }"),
                attack("sleep", "pipeline { sleep 100000 }"),
                attack("System.getenv", "pipeline { name(System.getenv('HOME')) }"),
                attack("system property in a GString", "pipeline { name \"${System.getProperty('user.home')}\" }"),
                // Compile-time code: AST transformations run while the file is compiled.
                attack("@ASTTest", "@groovy.transform.ASTTest(value = { new File('MARK').createNewFile() })\ndef x = 1\n"
                        + "pipeline { name 'x' }"),
                attack("@ASTTest at conversion", "@groovy.transform.ASTTest(phase = org.codehaus.groovy.control.CompilePhase.CONVERSION,"
                        + " value = { new File('MARK').createNewFile() })\ndef x = 1\npipeline { name 'x' }"),
                attack("@ASTTest on an import", "@groovy.transform.ASTTest(value = { new File('MARK').createNewFile() })\n"
                        + "import java.lang.String\npipeline { name 'x' }"),
                attack("@Grab", "@Grab('org.example:evil:1.0')\nimport org.example.Evil\npipeline { name 'x' }"),
                attack("@GrabConfig", "@GrabConfig(systemClassLoader = true)\ndef x = 1\npipeline { name 'x' }"),
                attack("@Field", "@groovy.transform.Field def x = new File('MARK').createNewFile()\npipeline { name 'x' }"),
                attack("@BaseScript", "@groovy.transform.BaseScript groovy.lang.Script base\n'touch MARK'.execute()\npipeline { name 'x' }"),
                attack("@Newify", "@Newify(File) def f = File('MARK')\npipeline { name f }"),
                attack("@TypeChecked extension", "@groovy.transform.TypeChecked(extensions = 'MARK.groovy') def x = 1\npipeline { name 'x' }"),
                attack("@EqualsAndHashCode class", "@groovy.transform.EqualsAndHashCode class C { def getProp() {"
                        + " new File('MARK').createNewFile() } }\npipeline { name 'x' }"),
                // Imports.
                attack("static import", "import static java.lang.Runtime.getRuntime\npipeline { name(getRuntime().exec('touch MARK')) }"),
                attack("static star import", "import static java.lang.System.*\npipeline { exit(3) }"),
                attack("aliased import", "import java.lang.Runtime as R\npipeline { name(R.runtime.exec('touch MARK')) }"),
                attack("package", "package evil\npipeline { name 'x' }"),
                // Properties that reach the machinery.
                attack("property 'class' of a string", "pipeline { name(''.class.forName('java.lang.Runtime')) }"),
                attack("this.class.classLoader", "pipeline { name(this.class.classLoader) }"),
                attack("class of a closure", "pipeline { def c = { }\n name(c.class) }"),
                attack("delegate", "pipeline { name(delegate) }"),
                attack("owner", "pipeline { name(owner) }"),
                attack("thisObject", "pipeline { name(thisObject) }"),
                attack("binding", "pipeline { name(binding.variables) }"),
                attack("this", "pipeline { name(this) }"),
                attack("an undeclared name", "pipeline { name(out) }"),
                // GString tricks.
                attack("call in a GString", "pipeline { name \"${'touch MARK'.execute()}\" }"),
                attack("lazy closure in a GString", "pipeline { name \"${-> 'touch MARK'.execute()}\" }"),
                attack("${{ }} in double quotes", "pipeline { name \"${{ 'touch MARK'.execute() }}\" }"),
                attack("computed method name on a string", "pipeline { name('touch MARK'.\"${'exe' + 'cute'}\"()) }"),
                attack("computed DSL call name", "pipeline { \"${'exe' + 'cute'}\"('touch MARK') }"),
                attack("quoted method name", "pipeline { name('touch MARK'.'execute'()) }"),
                attack("closure variable rendered by a GString", "def c = { execute('touch MARK') }\npipeline { name \"${c}\" }"),
                attack("closure variable, through another variable, rendered by a GString",
                        "def c = { pipeline { name 'again' } }\ndef d = c\npipeline { name \"$d\" }"),
                attack("method name from a variable", "pipeline { def m = 'execute'\n name('touch MARK'.\"$m\"()) }"),
                // Closures and dynamic calls.
                attack("calling a local closure", "def c = { 'touch MARK'.execute() }\npipeline { name c() }"),
                attack("closure.call", "def c = { execute('touch MARK') }\npipeline { name(c.call()) }"),
                attack("closure.rehydrate", "def c = { execute() }\npipeline { name(c.rehydrate('touch MARK', null, null).call()) }"),
                attack("closure.curry", "def c = { }\npipeline { name(c.curry(1)) }"),
                attack("this.invokeMethod", "pipeline { this.invokeMethod('evaluate', \"new File('MARK').createNewFile()\") }"),
                attack("invokeMethod as a DSL call", "pipeline { invokeMethod('evaluate', \"new File('MARK').createNewFile()\") }"),
                attack("invokeMethod at the top", "invokeMethod('evaluate', \"new File('MARK').createNewFile()\")\npipeline { name 'x' }"),
                attack("with on a dangerous receiver", "pipeline { name(Runtime.runtime.with { exec('touch MARK') }) }"),
                attack("tap", "pipeline { name('touch MARK'.tap { execute() }) }"),
                attack("identity", "pipeline { name('touch MARK'.identity { it.execute() }) }"),
                // Method pointers and references (script-security SECURITY-1465).
                attack("method pointer", "pipeline { def e = 'touch MARK'.&execute\n name(e()) }"),
                attack("method pointer on a class", "pipeline { name((Runtime.&getRuntime)().exec('touch MARK')) }"),
                attack("method pointer to evaluate", "pipeline { name(this.&evaluate(\"new File('MARK').createNewFile()\")) }"),
                attack("method pointer left side runs a closure", "pipeline { name(({ 'touch MARK'.execute(); 1 }().&toString)()) }"),
                attack("method reference", "pipeline { def f = String::valueOf\n name f }"),
                // Spread.
                attack("spread-dot", "pipeline { name(['touch MARK']*.execute()) }"),
                attack("spread arguments", "pipeline { name(*['touch MARK']) }"),
                attack("spread map", "pipeline { settings(*:[a: 1]) }"),
                // Casts and coercion (SECURITY-1465, SECURITY-2824).
                attack("as File", "pipeline { name((['MARK'] as File).createNewFile()) }"),
                attack("cast", "pipeline { name(((File) 'MARK').createNewFile()) }"),
                attack("implicit cast of a typed variable", "pipeline { File f = ['MARK']\n name f }"),
                attack("map coerced to an interface", "pipeline { name([toString: { -> 'touch MARK'.execute() }] as Runnable) }"),
                attack("closure coerced to a collection", "pipeline { name(({ -> ['MARK'] as Object[] } as Collection) as File) }"),
                // Computed names and operators (SECURITY-1538).
                attack("method name computed by a closure", "pipeline { name(1.({ 'touch MARK'.execute(); 'toString' }())()) }"),
                attack("prefix operator on a call", "pipeline { name(++({ 'touch MARK'.execute(); 1 }())) }"),
                attack("postfix operator", "pipeline { def x = 1\n x++ }"),
                attack("assignment", "pipeline { def x = 1\n x = new File('MARK') }"),
                attack("multiple assignment", "def (a, b) = [new File('MARK').createNewFile(), 1]\npipeline { name 'x' }"),
                attack("subscript", "pipeline { name(System.getenv()['HOME']) }"),
                attack("elvis", "pipeline { name(null ?: new File('MARK').createNewFile()) }"),
                attack("ternary", "pipeline { name(true ? 'x' : new File('MARK').createNewFile()) }"),
                attack("string multiplication", "pipeline { name('a' * 1000000000) }"),
                attack("range", "pipeline { name(1..100000000) }"),
                attack("shift", "pipeline { name(1 << 40) }"),
                attack("unary minus on text", "pipeline { def t = 'x'\n name(-t) }"),
                // Classes, constructors, methods (SECURITY-1658, 1754, 2020).
                attack("constructor parameter default", "class A { A(x = new File('MARK').createNewFile()) { } }\nnew A()\npipeline { name 'x' }"),
                attack("this() constructor call", "class S { S() { this(1) }\n S(int x) { new File('MARK').createNewFile() } }\n"
                        + "pipeline { name(new S()) }"),
                attack("toString run outside the script", "class T { String toString() { new File('MARK').createNewFile(); 't' } }\n"
                        + "pipeline { name(new T()) }"),
                attack("static initializer", "class X { static { new File('MARK').createNewFile() } }\npipeline { name 'x' }"),
                attack("trait", "trait T { def x() { new File('MARK').createNewFile() } }\npipeline { name 'x' }"),
                attack("method definition", "def evil() { new File('MARK').createNewFile() }\npipeline { name 'x' }"),
                // Statements other than DSL calls and def.
                attack("while", "pipeline { while (true) { name 'x' } }"),
                attack("for", "pipeline { for (i in 1..3) { name 'x' } }"),
                attack("if", "pipeline { if (new File('MARK').createNewFile()) { name 'x' } }"),
                attack("try/finally", "pipeline { try { name 'x' } finally { new File('MARK').createNewFile() } }"),
                attack("assert message", "pipeline { assert false : new File('MARK').createNewFile() }"),
                attack("switch", "pipeline { switch (1) { case 1: name 'x' } }"),
                attack("throw", "pipeline { throw new Error('x') }"),
                attack("synchronized", "pipeline { synchronized (this) { name 'x' } }"),
                attack("return", "pipeline { return new File('MARK').createNewFile() }"),
                attack("label", "pipeline { evil: name 'x' }"),
                attack("bare expression", "pipeline { 'touch MARK' }"),
                attack("value-less declaration", "pipeline { def x\n name x }"),
                attack("closure result as a value", "pipeline { name(apiVersion('x')) }"),
                attack("safe navigation", "pipeline { name('touch MARK'?.execute()) }"));
    }

    private static Arguments attack(String name, String script) {
        return Arguments.of(name, script);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void isRefusedWithItsLocationAndHasNoEffect(String name, String script) throws Exception {
        Path marker = dir.resolve("pwned");
        Path file = Files.writeString(dir.resolve("teeflow.groovy"), script.replace("MARK", marker.toString()));
        assertThatThrownBy(() -> new GroovyFrontEnd().parse(file))
                .as(name)
                .isInstanceOfSatisfying(InvalidPipelineException.class, e -> {
                    assertThat(e.diagnostics()).isNotEmpty();
                    assertThat(e.diagnostics()).allSatisfy(d -> {
                        assertThat(d.location().file()).isEqualTo(file);
                        assertThat(d.location().line()).isPositive();
                        assertThat(d.location().column()).isPositive();
                    });
                });
        assertThat(marker).as(name + ": the side effect happened").doesNotExist();
    }
}
