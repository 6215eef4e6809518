package dev.teeflow.jenkins;

import com.lesfurets.jenkins.unit.MockPipelineScript;
import com.lesfurets.jenkins.unit.PipelineTestHelper;
import com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration;
import com.lesfurets.jenkins.unit.global.lib.SourceRetriever;
import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.Script;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A mock Jenkins for the shared library: JenkinsPipelineUnit loads vars/ and src/ the way Jenkins does,
 * and these stand-ins for the plugin steps record what the library asked for. withCredentials puts a
 * fake secret into {@code env} for the length of its body, so a library that interpolated env values
 * into a script would be caught.
 */
final class PipelineMock {
    /** The value withCredentials puts into env for a credential: a script containing it leaked a secret. */
    static final String SECRET_PREFIX = "SECRET-VALUE-OF-";

    /** One sh step: its script, and what surrounded it. */
    record ShCall(String script, String label, String lock, List<String> credentialVariables, String dir, String stage) {
    }

    /** One archiveArtifacts step and what surrounded it. */
    record Archive(Map<?, ?> args, String dir, String stage, String lock) {
        String artifacts() {
            return String.valueOf(args.get("artifacts"));
        }
    }

    /** What a failing sh step throws, as Jenkins' AbortException does: the build fails with this message. */
    static final class ScriptFailed extends RuntimeException {
        ScriptFailed(int status) {
            super("script returned exit code " + status);
        }
    }

    final PipelineTestHelper helper = new PipelineTestHelper();
    final Binding binding = new Binding();
    final Map<String, Object> env = new LinkedHashMap<>();
    final List<ShCall> sh = new ArrayList<>();
    final List<Archive> archived = new ArrayList<>();
    final List<String> locks = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    /** Set by the declarative pipeline while a stage's steps run. */
    String currentStage;
    private String currentLock;
    private String currentDir;
    private final List<String> boundVariables = new ArrayList<>();
    /** What an sh step with returnStdout prints. */
    String shStdout = "";
    /** Files written with writeFile: path to text. */
    final Map<String, String> writtenFiles = new LinkedHashMap<>();
    private Predicate<String> failingScripts = script -> false;
    private int failingStatus = 1;

    /** For calling the library's step directly: vars/ and src/ of the module are the script roots. */
    PipelineMock() {
        helper.setScriptRoots(new String[] {"vars", "src"});
        helper.setBaseScriptRoot(".");
        init();
    }

    /**
     * For running whole Jenkinsfiles: {@code @Library('teeflow')} loads the library from the working tree
     * (the folder holding vars/ and src/), as a Global Pipeline Library named "teeflow" would.
     */
    PipelineMock(Path repoRoot, Path libraryDir) {
        helper.setScriptRoots(new String[] {repoRoot.toString()});
        helper.setBaseScriptRoot(repoRoot.toString());
        URL library;
        try {
            library = libraryDir.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        SourceRetriever workingTree = (repository, version, targetPath) -> List.of(library);
        helper.registerSharedLibrary(LibraryConfiguration.library().name("teeflow").defaultVersion("working-tree")
                .allowOverride(false).implicit(false).targetPath(libraryDir.toString()).retriever(workingTree).build());
        init();
    }

    private void init() {
        // "groovy" also lets the class loader find vars/*.groovy and src/**/*.groovy of a loaded library.
        helper.setScriptExtension("groovy");
        helper.setBaseClassloader(getClass().getClassLoader());
        helper.setScriptBaseClass(MockPipelineScript.class);
        helper.init();
        env.put("JOB_NAME", "teeflow-test");
        binding.setVariable("env", env);
        register("sh", List.of(Map.class), new Closure<Object>(this) {
            public Object doCall(Map<?, ?> args) {
                Object status = runSh(String.valueOf(args.get("script")), (String) args.get("label"),
                        Boolean.TRUE.equals(args.get("returnStatus")));
                return Boolean.TRUE.equals(args.get("returnStdout")) ? shStdout : status;
            }
        });
        register("sh", List.of(String.class), new Closure<Object>(this) {
            public Object doCall(String script) {
                return runSh(script, null, false);
            }
        });
        register("string", List.of(Map.class), binding("string"));
        register("file", List.of(Map.class), binding("file"));
        register("usernamePassword", List.of(Map.class), binding("usernamePassword"));
        register("withCredentials", List.of(List.class, Closure.class), new Closure<Object>(this) {
            public Object doCall(List<Map<String, Object>> bindings, Closure<?> body) {
                List<String> added = new ArrayList<>();
                for (Map<String, Object> b : bindings) {
                    for (String key : List.of("variable", "usernameVariable", "passwordVariable")) {
                        if (b.get(key) != null) {
                            String var = (String) b.get(key);
                            env.put(var, SECRET_PREFIX + b.get("credentialsId"));
                            added.add(var);
                        }
                    }
                }
                boundVariables.addAll(added);
                events.add("withCredentials+");
                try {
                    return body.call();
                } finally {
                    added.forEach(env::remove);
                    boundVariables.removeAll(added);
                    events.add("withCredentials-");
                }
            }
        });
        register("lock", List.of(Map.class, Closure.class), new Closure<Object>(this) {
            public Object doCall(Map<?, ?> args, Closure<?> body) {
                String previous = currentLock;
                currentLock = String.valueOf(args.get("resource"));
                locks.add(currentLock);
                events.add("lock+");
                try {
                    return body.call();
                } finally {
                    currentLock = previous;
                    events.add("lock-");
                }
            }
        });
        register("dir", List.of(String.class, Closure.class), new Closure<Object>(this) {
            public Object doCall(String path, Closure<?> body) {
                String previous = currentDir;
                currentDir = previous == null || path.startsWith("/") ? path : previous + "/" + path;
                try {
                    return body.call();
                } finally {
                    currentDir = previous;
                }
            }
        });
        register("pwd", List.of(Map.class), new Closure<Object>(this) {
            public Object doCall(Map<?, ?> args) {
                return Boolean.TRUE.equals(args.get("tmp")) ? "/agent/workspace/job@tmp" : "/agent/workspace/job";
            }
        });
        register("writeFile", List.of(Map.class), new Closure<Object>(this) {
            public Object doCall(Map<?, ?> args) {
                writtenFiles.put(String.valueOf(args.get("file")), String.valueOf(args.get("text")));
                events.add("writeFile");
                return null;
            }
        });
        register("libraryResource", List.of(String.class), new Closure<Object>(this) {
            public Object doCall(String path) throws java.io.IOException {
                return java.nio.file.Files.readString(Path.of("resources").resolve(path));
            }
        });
        register("archiveArtifacts", List.of(Map.class), new Closure<Object>(this) {
            public Object doCall(Map<?, ?> args) {
                archived.add(new Archive(args, currentDir, currentStage, currentLock));
                events.add("archive");
                return null;
            }
        });
    }

    /** From now on, every sh script matching this fails with the given exit status (a failing command). */
    void failScripts(Predicate<String> scripts, int status) {
        failingScripts = scripts;
        failingStatus = status;
    }

    private Object runSh(String script, String label, boolean returnStatus) {
        sh.add(new ShCall(script, label, currentLock, List.copyOf(boundVariables), currentDir, currentStage));
        events.add("sh");
        int status = failingScripts.test(script) ? failingStatus : 0;
        if (returnStatus) {
            return status;
        }
        if (status != 0) {
            throw new ScriptFailed(status);
        }
        return null;
    }

    private Closure<Object> binding(String type) {
        return new Closure<Object>(this) {
            public Object doCall(Map<String, Object> args) {
                Map<String, Object> b = new LinkedHashMap<>(args);
                b.put("$class", type);
                return b;
            }
        };
    }

    void register(String name, List<Class<?>> types, Closure<?> c) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Class> raw = (List) types;
        helper.registerAllowedMethod(name, raw, c);
    }

    /** Calls teeflow(config) or teeflow(config) { body } as a Jenkinsfile would. */
    Object teeflow(Map<String, Object> config, Closure<?> body) {
        Script script = helper.loadScript("teeflow.groovy", binding);
        return body == null ? script.invokeMethod("call", new Object[] {config})
                : script.invokeMethod("call", new Object[] {config, body});
    }

    /** Loads and runs a whole Jenkinsfile (a path under the repository root, or absolute). */
    Object runJenkinsfile(String path) {
        return helper.runScript(path, binding);
    }

    /** The library's quoting of one shell word (POSIX single quotes), to find a launcher in a script. */
    static String quoteForShell(String s) {
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    /** A body for the block form that records where it ran. */
    Closure<Object> body() {
        return new Closure<Object>(this) {
            public Object doCall() {
                events.add("body" + (currentLock != null ? "@lock" : "") + (boundVariables.isEmpty() ? "" : "@credentials"));
                return null;
            }
        };
    }
}
