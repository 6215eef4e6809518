package dev.teeflow.jenkins;

import groovy.lang.Closure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Declarative Pipeline ({@code pipeline { agent ... stages { stage('x') { when {...} steps {...} } } post {...} }})
 * for JenkinsPipelineUnit 1.1, which only knows scripted pipelines. Like Jenkins, it first reads the whole
 * structure, then runs the stages in order: a stage whose {@code when} does not hold is skipped, the
 * stages after a failure are skipped, and the post conditions run at the end whatever happened.
 *
 * <p>Only the directives the examples need are known; any other one (or a directive in the wrong place)
 * fails the build with its name, so a Jenkinsfile cannot silently use something this mock would ignore.
 */
final class DeclarativePipeline {
    /** What happened to one stage. */
    record StageRun(String name, String status) {
    }

    /** The outcome of a build: SUCCESS or FAILURE, and the error that failed it. */
    record Build(String result, Throwable error, List<StageRun> stages, List<String> post, List<String> options, Object agent) {
        /** The messages of the error and all its causes, to find the one that explains the failure. */
        String errorMessages() {
            StringBuilder sb = new StringBuilder();
            for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
                sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
            }
            return sb.toString();
        }
    }

    private static final List<String> OPTIONS = List.of("disableConcurrentBuilds", "timestamps");
    /** Jenkins' order of post conditions. */
    private static final List<String> POST_CONDITIONS = List.of("always", "failure", "success", "unsuccessful", "cleanup");

    private final PipelineMock jenkins;
    /** Where the Jenkinsfile is: each directive checks that it is used inside the right block. */
    private final Deque<Object> context = new ArrayDeque<>();
    /** The options an options { } block just declared. */
    private final List<String> lastOptions = new ArrayList<>();
    private Build build;

    private static final class PipelineDecl {
        Object agent;
        Closure<?> stages;
        Closure<?> post;
        final List<String> options = new ArrayList<>();
    }

    private static final class StagesDecl {
        final List<StageDecl> stages = new ArrayList<>();
    }

    private static final class StageDecl {
        final String name;
        final List<BooleanSupplier> when = new ArrayList<>();
        Closure<?> steps;

        StageDecl(String name) {
            this.name = name;
        }
    }

    private static final class WhenDecl {
        final List<BooleanSupplier> conditions = new ArrayList<>();
    }

    private static final class OptionsDecl {
    }

    private static final class PostDecl {
        final Map<String, Closure<?>> conditions = new LinkedHashMap<>();
    }

    DeclarativePipeline(PipelineMock jenkins) {
        this.jenkins = jenkins;
        jenkins.binding.setVariable("any", "any");
        jenkins.binding.setVariable("none", "none");
        Map<String, Object> currentBuild = new LinkedHashMap<>();
        currentBuild.put("result", null);
        jenkins.binding.setVariable("currentBuild", currentBuild);
        jenkins.register("pipeline", List.of(Closure.class), closure(args -> {
            if (!context.isEmpty()) {
                throw new IllegalStateException("'pipeline' must be the top-level block");
            }
            run(declare(new PipelineDecl(), (Closure<?>) args[0]));
            return null;
        }));
        jenkins.register("agent", List.of(Object.class), closure(args -> {
            PipelineDecl p = in(PipelineDecl.class, "agent", "pipeline");
            if (!List.of("any", "none").contains(args[0]) && !(args[0] instanceof Closure)) {
                throw new IllegalArgumentException("agent must be any, none or a block, not " + args[0]);
            }
            p.agent = args[0];
            return null;
        }));
        jenkins.register("options", List.of(Closure.class), closure(args -> {
            PipelineDecl p = in(PipelineDecl.class, "options", "pipeline");
            declare(new OptionsDecl(), (Closure<?>) args[0]);
            p.options.addAll(lastOptions);
            lastOptions.clear();
            return null;
        }));
        for (String option : OPTIONS) {
            jenkins.register(option, List.of(), closure(args -> {
                in(OptionsDecl.class, option, "options");
                lastOptions.add(option);
                return null;
            }));
        }
        jenkins.register("stages", List.of(Closure.class), closure(args -> {
            in(PipelineDecl.class, "stages", "pipeline").stages = (Closure<?>) args[0];
            return null;
        }));
        jenkins.register("stage", List.of(String.class, Closure.class), closure(args -> {
            StagesDecl s = in(StagesDecl.class, "stage", "stages");
            s.stages.add(declare(new StageDecl((String) args[0]), (Closure<?>) args[1]));
            return null;
        }));
        jenkins.register("steps", List.of(Closure.class), closure(args -> {
            in(StageDecl.class, "steps", "stage").steps = (Closure<?>) args[0];
            return null;
        }));
        jenkins.register("when", List.of(Closure.class), closure(args -> {
            StageDecl stage = in(StageDecl.class, "when", "stage");
            stage.when.addAll(declare(new WhenDecl(), (Closure<?>) args[0]).conditions);
            return null;
        }));
        jenkins.register("branch", List.of(String.class), closure(args -> {
            String pattern = (String) args[0];
            in(WhenDecl.class, "branch", "when").conditions.add(() -> branchMatches(pattern));
            return null;
        }));
        jenkins.register("post", List.of(Closure.class), closure(args -> {
            in(PipelineDecl.class, "post", "pipeline").post = (Closure<?>) args[0];
            return null;
        }));
        for (String condition : POST_CONDITIONS) {
            jenkins.register(condition, List.of(Closure.class), closure(args -> {
                in(PostDecl.class, condition, "post").conditions.put(condition, (Closure<?>) args[0]);
                return null;
            }));
        }
    }

    /** Runs a Jenkinsfile and returns the build's outcome (a failing build does not throw). */
    Build run(String jenkinsfile) {
        build = null;
        try {
            jenkins.runJenkinsfile(jenkinsfile);
        } catch (RuntimeException e) {
            if (build == null) {
                // Failed before any stage ran: a compilation, library or structure error.
                return new Build("FAILURE", e, List.of(), List.of(), List.of(), null);
            }
            throw e;
        }
        if (build == null) {
            throw new IllegalStateException(jenkinsfile + " has no pipeline { } block");
        }
        return build;
    }

    private void run(PipelineDecl p) {
        if (p.agent == null) {
            throw new IllegalStateException("pipeline needs an agent");
        }
        if (p.stages == null) {
            throw new IllegalStateException("pipeline needs stages { }");
        }
        StagesDecl stages = declare(new StagesDecl(), p.stages);
        PostDecl post = p.post == null ? new PostDecl() : declare(new PostDecl(), p.post);
        for (StageDecl s : stages.stages) {
            if (s.steps == null) {
                throw new IllegalStateException("stage '" + s.name + "' needs steps { }");
            }
        }
        Map<String, Object> currentBuild = currentBuild();
        List<StageRun> runs = new ArrayList<>();
        Throwable error = null;
        for (StageDecl s : stages.stages) {
            if (error != null) {
                runs.add(new StageRun(s.name, "skipped (earlier failure)"));
            } else if (!s.when.stream().allMatch(BooleanSupplier::getAsBoolean)) {
                runs.add(new StageRun(s.name, "skipped (when)"));
            } else {
                error = runStage(s.name, s.steps);
                runs.add(new StageRun(s.name, error == null ? "ran" : "failed"));
            }
        }
        currentBuild.put("result", error == null ? "SUCCESS" : "FAILURE");
        List<String> postRan = new ArrayList<>();
        for (String condition : POST_CONDITIONS) {
            Closure<?> c = post.conditions.get(condition);
            boolean applies = switch (condition) {
                case "success" -> error == null;
                case "failure", "unsuccessful" -> error != null;
                default -> true;
            };
            if (c != null && applies) {
                postRan.add(condition);
                Throwable postError = runStage("post " + condition, c);
                if (postError != null && error == null) {
                    error = postError;
                    currentBuild.put("result", "FAILURE");
                }
            }
        }
        build = new Build((String) currentBuild.get("result"), error, runs, postRan, List.copyOf(p.options), p.agent);
    }

    private Throwable runStage(String name, Closure<?> steps) {
        jenkins.currentStage = name;
        jenkins.events.add("stage:" + name);
        context.push("steps");
        try {
            steps.call();
            return null;
        } catch (RuntimeException e) {
            return e;
        } finally {
            context.pop();
            jenkins.currentStage = null;
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> currentBuild() {
        return (Map<String, Object>) jenkins.binding.getVariable("currentBuild");
    }

    /** The declarative {@code branch} condition: env.BRANCH_NAME against an Ant-style pattern. */
    private boolean branchMatches(String pattern) {
        Object branch = jenkins.env.get("BRANCH_NAME");
        if (branch == null) {
            return false;
        }
        String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
        return branch.toString().matches(regex);
    }

    /** Runs a block's closure with {@code decl} as the current context; its directives fill it in. */
    private <T> T declare(T decl, Closure<?> body) {
        context.push(decl);
        try {
            body.call();
        } finally {
            context.pop();
        }
        return decl;
    }

    private <T> T in(Class<T> type, String directive, String block) {
        Object top = context.peek();
        if (!type.isInstance(top)) {
            throw new IllegalStateException("'" + directive + "' is only allowed directly inside " + block + " { }");
        }
        return type.cast(top);
    }

    private interface Body {
        Object apply(Object[] args);
    }

    private Closure<Object> closure(Body body) {
        return new Closure<Object>(this) {
            public Object doCall(Object... args) {
                return body.apply(args);
            }
        };
    }
}
