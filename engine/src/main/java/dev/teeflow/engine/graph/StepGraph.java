package dev.teeflow.engine.graph;

import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.InvalidPipelineException;
import dev.teeflow.engine.config.Suggestions;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.StepType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline's steps as a directed acyclic graph: an edge from A to B when B references one of A's
 * outputs or names A in {@code needs}. Built once, checked on construction: a reference to a missing
 * step or output, and a cycle, are errors that name the steps involved.
 */
public final class StepGraph {
    private final Pipeline pipeline;
    private final Map<String, StepType> types;
    private final Map<String, Set<String>> upstream;
    private final Map<String, Set<String>> downstream;
    private final List<String> order;

    private StepGraph(Pipeline pipeline, Map<String, StepType> types, Map<String, Set<String>> upstream) {
        this.pipeline = pipeline;
        this.types = types;
        this.upstream = upstream;
        this.downstream = new HashMap<>();
        upstream.forEach((step, deps) -> deps.forEach(
                d -> downstream.computeIfAbsent(d, k -> new LinkedHashSet<>()).add(step)));
        this.order = topologicalOrder();
    }

    /** Builds and checks the graph; throws {@link InvalidPipelineException} listing every problem. */
    public static StepGraph of(Pipeline pipeline, Registry registry) {
        List<Diagnostic> problems = new ArrayList<>();
        Map<String, StepType> types = new LinkedHashMap<>();
        for (StepSpec spec : pipeline.steps().values()) {
            registry.stepType(spec.type()).ifPresentOrElse(t -> types.put(spec.address(), t),
                    () -> problems.add(new Diagnostic(spec.location(), spec.address(),
                            registry.unknownStepTypeMessage(spec.type()))));
        }
        Map<String, Set<String>> upstream = new LinkedHashMap<>();
        for (StepSpec spec : pipeline.steps().values()) {
            Set<String> deps = new LinkedHashSet<>();
            for (Ref ref : References.in(spec.inputs())) {
                StepSpec target = pipeline.steps().get(ref.address());
                if (target == null) {
                    problems.add(new Diagnostic(spec.location(), spec.address(), "references " + ref
                            + ", but there is no step '" + ref.address() + "'"
                            + Suggestions.didYouMean(ref.address(), pipeline.steps().keySet())));
                    continue;
                }
                StepType targetType = types.get(ref.address());
                if (targetType != null) {
                    Set<String> outputs = targetType.outputNames(target);
                    if (!outputs.contains(ref.output())) {
                        problems.add(new Diagnostic(spec.location(), spec.address(), "references " + ref
                                + ", but step '" + ref.address() + "' has no output '" + ref.output() + "'"
                                + Suggestions.didYouMean(ref.output(), outputs)
                                + (outputs.isEmpty() ? "" : "; its outputs: " + String.join(", ", new java.util.TreeSet<>(outputs)))));
                    }
                }
                deps.add(ref.address());
            }
            for (String need : spec.needs()) {
                if (!pipeline.steps().containsKey(need)) {
                    problems.add(new Diagnostic(spec.location(), spec.address(), "needs '" + need
                            + "', but there is no such step" + Suggestions.didYouMean(need, pipeline.steps().keySet())));
                } else {
                    deps.add(need);
                }
            }
            deps.remove(spec.address());
            upstream.put(spec.address(), deps);
        }
        if (!problems.isEmpty()) {
            throw new InvalidPipelineException(problems);
        }
        List<String> cycle = findCycle(upstream);
        if (!cycle.isEmpty()) {
            StepSpec first = pipeline.steps().get(cycle.get(0));
            throw new InvalidPipelineException(new Diagnostic(first.location(), first.address(),
                    "dependency cycle: " + String.join(" -> ", cycle)));
        }
        return new StepGraph(pipeline, types, upstream);
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public StepSpec spec(String address) {
        return pipeline.steps().get(address);
    }

    public StepType type(String address) {
        return types.get(address);
    }

    public Effect effect(String address) {
        return types.get(address).effectOf(spec(address));
    }

    /** Addresses in an order where every step comes after the steps it depends on. */
    public List<String> order() {
        return order;
    }

    public Set<String> upstream(String address) {
        return upstream.getOrDefault(address, Set.of());
    }

    public Set<String> downstream(String address) {
        return downstream.getOrDefault(address, Set.of());
    }

    /** The given steps and everything they depend on, transitively. */
    public Set<String> withDependencies(Collection<String> targets) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(targets);
        while (!todo.isEmpty()) {
            String a = todo.pop();
            if (out.add(a)) {
                todo.addAll(upstream(a));
            }
        }
        return out;
    }

    /** Everything downstream of {@code address}, transitively, excluding itself. */
    public Set<String> allDownstream(String address) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(downstream(address));
        while (!todo.isEmpty()) {
            String a = todo.pop();
            if (out.add(a)) {
                todo.addAll(downstream(a));
            }
        }
        return out;
    }

    private List<String> topologicalOrder() {
        // Kahn's algorithm, taking ready steps in declaration order so the order is stable.
        Map<String, Integer> missing = new HashMap<>();
        upstream.forEach((k, v) -> missing.put(k, v.size()));
        List<String> declared = new ArrayList<>(pipeline.steps().keySet());
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < declared.size(); i++) {
            position.put(declared.get(i), i);
        }
        java.util.PriorityQueue<String> ready = new java.util.PriorityQueue<>(
                java.util.Comparator.comparingInt(position::get));
        missing.forEach((k, v) -> {
            if (v == 0) {
                ready.add(k);
            }
        });
        List<String> out = new ArrayList<>(declared.size());
        while (!ready.isEmpty()) {
            String a = ready.poll();
            out.add(a);
            for (String d : downstream(a)) {
                if (missing.merge(d, -1, Integer::sum) == 0) {
                    ready.add(d);
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** One cycle as a closed path (a -> b -> a), or an empty list. Iterative, so deep graphs don't overflow. */
    static List<String> findCycle(Map<String, Set<String>> upstream) {
        Map<String, Integer> colour = new HashMap<>(); // absent = new, 1 = on stack, 2 = done
        for (String start : upstream.keySet()) {
            if (colour.containsKey(start)) {
                continue;
            }
            Deque<String> path = new ArrayDeque<>();
            Deque<java.util.Iterator<String>> iters = new ArrayDeque<>();
            path.push(start);
            iters.push(upstream.getOrDefault(start, Set.of()).iterator());
            colour.put(start, 1);
            while (!path.isEmpty()) {
                java.util.Iterator<String> it = iters.peek();
                if (it.hasNext()) {
                    String next = it.next();
                    Integer c = colour.get(next);
                    if (c == null) {
                        colour.put(next, 1);
                        path.push(next);
                        iters.push(upstream.getOrDefault(next, Set.of()).iterator());
                    } else if (c == 1) {
                        // The stack holds, newest first, steps each of which depends on the one after it
                        // (depK, ..., a1, next). Data flows the other way: next -> depK -> ... -> a1 -> next.
                        List<String> chain = new ArrayList<>(path);
                        List<String> flow = new ArrayList<>();
                        flow.add(next);
                        flow.addAll(chain.subList(0, chain.indexOf(next)));
                        flow.add(next);
                        return flow;
                    }
                } else {
                    colour.put(path.pop(), 2);
                    iters.pop();
                }
            }
        }
        return List.of();
    }

    /** Steps that are pure and do not depend (transitively) on any external step. */
    public Set<String> pureBeforeExternal() {
        Set<String> tainted = new HashSet<>();
        for (String a : order) {
            boolean afterExternal = upstream(a).stream()
                    .anyMatch(u -> tainted.contains(u) || effect(u) == Effect.EXTERNAL);
            if (afterExternal) {
                tainted.add(a);
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String a : order) {
            if (effect(a) == Effect.PURE && !tainted.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }
}
