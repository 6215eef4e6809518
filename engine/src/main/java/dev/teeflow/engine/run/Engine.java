package dev.teeflow.engine.run;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.graph.StepGraph;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.state.OutputCodec;
import dev.teeflow.engine.state.StateLease;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.engine.state.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plans and applies one pipeline. {@link #plan} says what {@link #apply} would do; apply does it, in
 * parallel where the graph allows, holding the state's lock (an apply that finds nothing to do takes none).
 */
public final class Engine {
    private final StepGraph graph;
    private final EngineOptions options;
    private final int keyScheme;
    private final Registry registry;

    private Engine(StepGraph graph, EngineOptions options, int keyScheme, Registry registry) {
        this.graph = graph;
        this.options = options;
        this.keyScheme = keyScheme;
        this.registry = registry;
    }

    /** Checks the pipeline's graph (missing references, cycles) and readies it for planning. */
    public static Engine open(Pipeline pipeline, Registry registry, EngineOptions options) {
        return new Engine(StepGraph.of(pipeline, registry), options, CacheKey.SCHEME, registry);
    }

    /**
     * This engine as a teeflow whose cache-key scheme is {@code scheme} would be: how tests show that a
     * new scheme plans nothing to do on state written under an older one.
     */
    public Engine withKeyScheme(int scheme) {
        if (scheme < CacheKey.OLDEST_COMPARABLE_SCHEME) {
            throw new IllegalArgumentException("key scheme " + scheme + " can no longer be computed");
        }
        return new Engine(graph, options, scheme, registry);
    }

    public StepGraph graph() {
        return graph;
    }

    public EngineOptions options() {
        return options;
    }

    /**
     * What apply would do for {@code targets} (all steps when empty) and what they need. A step whose
     * upstream will run is planned to run too; apply may still find it up to date once the upstream
     * produced the same outputs again.
     */
    public Plan plan(Collection<String> targets, Collection<String> replace) {
        Set<String> selected = select(targets);
        checkKnown(replace);
        Map<String, PlannedStep> planned = new HashMap<>();
        Map<String, Outputs> known = new HashMap<>();
        Set<String> restoring = new java.util.HashSet<>();
        List<PlannedStep> rows = new ArrayList<>();
        try (Session session = new Session(graph, options, keyScheme)) {
            StepEvaluator evaluator = new StepEvaluator(session);
            for (String address : graph.order()) {
                if (!selected.contains(address)) {
                    continue;
                }
                List<String> upstream = List.copyOf(graph.upstream(address));
                PlannedStep row;
                List<String> pending = upstream.stream()
                        .filter(u -> planned.get(u) != null && planned.get(u).action() != Action.UP_TO_DATE
                                && !restoring.contains(u))
                        .toList();
                if (!pending.isEmpty()) {
                    boolean blocked = pending.stream().allMatch(u -> planned.get(u).action() == Action.BLOCKED);
                    boolean hasRecord = session.store.read(address).record() != null;
                    Action action = blocked ? Action.BLOCKED : hasRecord ? Action.RERUN : Action.CREATE;
                    String reason = blocked ? "upstream " + String.join(", ", pending) + " is blocked"
                            : hasRecord ? "upstream " + String.join(", ", pending) + " will run" : "new step";
                    row = new PlannedStep(address, graph.spec(address).type(), graph.effect(address), action, reason, null,
                            upstream, blocked ? null : evaluator.costWhilePending(address, known::get, Set.copyOf(pending)),
                            Fingerprints.pending(graph.spec(address), session.store.read(address).record()));
                } else {
                    Decision d = evaluator.evaluate(address, known::get, replace.contains(address), true);
                    if (d.action() == Action.UP_TO_DATE) {
                        known.put(address, d.recordedOutputs());
                    } else if (d.action() == Action.RERUN && d.restoresOutputs()) {
                        // it runs to put back what it recorded: what depends on it sees the same outputs
                        known.put(address, d.recordedOutputs());
                        restoring.add(address);
                    }
                    row = new PlannedStep(address, graph.spec(address).type(), graph.effect(address), d.action(),
                            d.reason(), d.detail(), upstream, d.action().willRun() && d.inputs() != null
                                    ? evaluator.cost(address, d.inputs(), d.recordedOutputs()) : null,
                            Fingerprints.of(graph.spec(address), d));
                }
                planned.put(address, row);
                rows.add(row);
            }
            if (targets.isEmpty()) { // first, as apply does them first
                Retirements retirements = new Retirements(session, registry);
                rows.addAll(0, retirements.orphans().stream().map(r -> retirements.planned(r, Retirements.REASON)).toList());
            }
        }
        return new Plan(graph.pipeline().name(), rows);
    }

    /** Runs what is not up to date among {@code targets} (all when empty) and what they need. */
    public Report apply(Collection<String> targets, Collection<String> replace) {
        Set<String> selected = select(targets);
        checkKnown(replace);
        Optional<Report> settled = nothingToDo(selected, replace, targets.isEmpty());
        if (settled.isPresent()) {
            return settled.get();
        }
        try (StateLease lease = StateLease.acquire(options.backend(), "apply", options.env(), options.lockTimeout(),
                options.stateLease());
             Session session = new Session(graph, options, keyScheme)) {
            session.store.refuseWritesWhen(lease::lost);
            Thread hook = new Thread(() -> session.cancelled.set(true), "teeflow-cancel");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                // What the file no longer declares is taken back first: a revocation never waits for a build.
                List<dev.teeflow.engine.run.StepOutcome> revoked = new ArrayList<>();
                if (targets.isEmpty()) {
                    Retirements retirements = new Retirements(session, registry);
                    for (Retirements.Retiree r : retirements.orphans()) {
                        StepOutcome o = retirements.retire(r, Retirements.REASON);
                        session.listener.stepFinished(o);
                        revoked.add(o);
                    }
                }
                Report report = new Scheduler(session, selected, Set.copyOf(replace), options.parallelism()).run();
                if (revoked.isEmpty()) {
                    return report;
                }
                revoked.addAll(report.outcomes());
                return new Report(revoked);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already exiting: nothing to remove
                }
            }
        }
    }

    /**
     * The report of an apply that finds every selected step up to date, read without the lock; empty as soon
     * as one step would run, resume, upgrade its record or be revoked. Such an apply writes nothing, so it
     * needs no lock: it does not wait behind another run, and a remote state is read once instead of being
     * locked and unlocked too (on git, two fetches and two pushes). What it read was whole, so the answer is
     * the one a locked apply would have given just before or after the other run's writes.
     */
    private Optional<Report> nothingToDo(Set<String> selected, Collection<String> replace, boolean all) {
        List<StepOutcome> outcomes = new ArrayList<>();
        try (Session session = new Session(graph, options, keyScheme)) {
            StepEvaluator evaluator = new StepEvaluator(session);
            Map<String, Outputs> known = new HashMap<>();
            for (String address : graph.order()) {
                if (!selected.contains(address)) {
                    continue;
                }
                Instant start = Instant.now();
                Decision d;
                try {
                    d = evaluator.evaluate(address, known::get, replace.contains(address), false);
                } catch (RuntimeException e) {
                    return Optional.empty(); // the locked apply meets it again and reports it on the step
                }
                if (d.action() != Action.UP_TO_DATE || d.upgraded() != null) {
                    return Optional.empty();
                }
                known.put(address, d.recordedOutputs());
                outcomes.add(new StepOutcome(address, StepOutcome.Status.UP_TO_DATE, d.reason(),
                        Duration.between(start, Instant.now())));
            }
            if (all && !new Retirements(session, registry).orphans().isEmpty()) {
                return Optional.empty();
            }
            outcomes.forEach(session.listener::stepFinished);
        }
        return Optional.of(new Report(outcomes));
    }

    /**
     * Takes back now what the recorded step at {@code address} left in the world (its open order), whether
     * the file still declares it or not, and drops its record: {@code teeflow revoke ADDR}. A step still in
     * the file runs again on the next apply unless its block says it stays revoked.
     */
    public Report revoke(String address) {
        return revoke(address, row -> { });
    }

    /** {@link #revoke(String)}, telling {@code beforeSending} what it will take back before anything is sent. */
    public Report revoke(String address, java.util.function.Consumer<PlannedStep> beforeSending) {
        try (StateLease lease = StateLease.acquire(options.backend(), "revoke", options.env(), options.lockTimeout(),
                options.stateLease());
             Session session = new Session(graph, options, keyScheme)) {
            session.store.refuseWritesWhen(lease::lost);
            Retirements retirements = new Retirements(session, registry);
            Retirements.Retiree r = retirements.find(address).orElseThrow(() -> new TeeflowException(
                    "nothing to revoke at '" + address + "': "
                            + (session.store.read(address).record() == null ? "no step of that address has a record"
                                    + dev.teeflow.engine.config.Suggestions.didYouMean(address, session.store.addresses())
                                    : "its step type leaves nothing that can be revoked (only published orders can be)")));
            String reason = graph.spec(address) == null ? Retirements.REASON : "revoked by hand";
            beforeSending.accept(retirements.planned(r, reason));
            StepOutcome o = retirements.retire(r, reason);
            session.listener.stepFinished(o);
            return new Report(List.of(o));
        }
    }

    /**
     * {@code teeflow import}: records what already exists out there (deployed by another tool) for each step
     * that can take it over, holding the state's lock, so the next apply finds those steps up to date.
     */
    public AdoptionReport adopt() {
        try (StateLease lease = StateLease.acquire(options.backend(), "import", options.env(), options.lockTimeout(),
                options.stateLease());
             Session session = new Session(graph, options, keyScheme)) {
            session.store.refuseWritesWhen(lease::lost);
            return new Adoption(session).run();
        }
    }

    /** Recorded outputs of a step, as the state holds them now. */
    public Outputs recordedOutputs(String address) {
        return recordedOutputs().apply(address);
    }

    /**
     * Recorded outputs of any step, as the state holds them at the first look-up: a remote state is read
     * once for all of them (a report that asks for each of its steps must not read the whole state per step).
     */
    public java.util.function.Function<String, Outputs> recordedOutputs() {
        StateStore store = options.stateStore();
        java.nio.file.Path projectDir = graph.pipeline().projectDir().toAbsolutePath().normalize();
        return address -> {
            StepRecord r = store.read(address).record();
            return r == null ? null : OutputCodec.decode(r.outputs(), projectDir);
        };
    }

    private Set<String> select(Collection<String> targets) {
        if (targets.isEmpty()) {
            return new LinkedHashSet<>(graph.order());
        }
        checkKnown(targets);
        return graph.withDependencies(targets);
    }

    private void checkKnown(Collection<String> addresses) {
        for (String t : addresses) {
            if (graph.spec(t) == null) {
                throw new TeeflowException("no step '" + t + "' in the pipeline"
                        + dev.teeflow.engine.config.Suggestions.didYouMean(t, graph.pipeline().steps().keySet()));
            }
        }
    }

    static boolean isExternal(StepGraph graph, String address) {
        return graph.effect(address) == Effect.EXTERNAL;
    }

}
