package dev.teeflow.jenkins;

import com.lesfurets.jenkins.unit.MockPipelineScript;
import com.lesfurets.jenkins.unit.PipelineTestHelper;
import groovy.lang.Closure;
import groovy.lang.Script;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mock Jenkins for the shared library: JenkinsPipelineUnit loads vars/ and src/ the way Jenkins does,
 * and these stand-ins for the plugin steps record what the library asked for. withCredentials puts a
 * fake secret into {@code env} for the length of its body, so a library that interpolated env values
 * into a script would be caught.
 */
final class PipelineMock {
    /** One sh step: its script, and what surrounded it. */
    record ShCall(String script, String label, String lock, List<String> credentialVariables, String dir) {
    }

    final PipelineTestHelper helper = new PipelineTestHelper();
    final Map<String, Object> env = new LinkedHashMap<>();
    final List<ShCall> sh = new ArrayList<>();
    final List<Map<?, ?>> archived = new ArrayList<>();
    final List<String> locks = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    private String currentLock;
    private String currentDir;
    private final List<String> boundVariables = new ArrayList<>();

    PipelineMock() {
        helper.setScriptRoots(new String[] {"vars", "src"});
        helper.setScriptExtension("groovy");
        helper.setBaseClassloader(getClass().getClassLoader());
        helper.setBaseScriptRoot(".");
        helper.setScriptBaseClass(MockPipelineScript.class);
        helper.init();
        env.put("JOB_NAME", "teeflow-test");
        register("sh", List.of(Map.class), new Closure<Object>(this) {
            public Object doCall(Map<?, ?> args) {
                sh.add(new ShCall(String.valueOf(args.get("script")), (String) args.get("label"), currentLock,
                        List.copyOf(boundVariables), currentDir));
                events.add("sh");
                return null;
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
                            env.put(var, "SECRET-VALUE-OF-" + b.get("credentialsId"));
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
                currentDir = path;
                try {
                    return body.call();
                } finally {
                    currentDir = null;
                }
            }
        });
        register("archiveArtifacts", List.of(Map.class), new Closure<Object>(this) {
            public Object doCall(Map<?, ?> args) {
                archived.add(args);
                events.add("archive");
                return null;
            }
        });
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

    private void register(String name, List<Class<?>> types, Closure<?> c) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Class> raw = (List) types;
        helper.registerAllowedMethod(name, raw, c);
    }

    /** Calls teeflow(config) or teeflow(config) { body } as a Jenkinsfile would. */
    Object teeflow(Map<String, Object> config, Closure<?> body) {
        Script script = helper.loadScript("teeflow.groovy");
        script.getBinding().setVariable("env", env);
        return body == null ? script.invokeMethod("call", new Object[] {config})
                : script.invokeMethod("call", new Object[] {config, body});
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
