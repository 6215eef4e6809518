package dev.teeflow.engine.run;

import dev.teeflow.engine.CrashPoints;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.graph.StepGraph;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.state.OutputCodec;
import dev.teeflow.engine.state.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the selected steps of one apply. A step starts when everything it depends on is done or up to
 * date; independent steps run in parallel; an external step starts only once every pure step that
 * does not itself wait for an external step has succeeded. A failure marks what depends on it "not
 * run" and lets the rest finish.
 */
final class Scheduler {
    private final Session session;
    private final StepGraph graph;
    private final List<String> selected;
    private final Set<String> replace;
    private final StepEvaluator evaluator;
    private final Set<String> pureGate;
    private final Map<String, Outputs> outputs = new ConcurrentHashMap<>();
    private final Map<String, StepOutcome> outcomes = new ConcurrentHashMap<>();
    private final BlockingQueue<StepOutcome> finished = new LinkedBlockingQueue<>();
    private final int parallelism;

    Scheduler(Session session, Set<String> selected, Set<String> replace, int parallelism) {
        this.session = session;
        this.parallelism = parallelism;
        this.graph = session.graph;
        this.selected = graph.order().stream().filter(selected::contains).toList();
        this.replace = replace;
        this.evaluator = new StepEvaluator(session);
        Set<String> gate = new LinkedHashSet<>(graph.pureBeforeExternal());
        gate.retainAll(selected);
        this.pureGate = gate;
    }

    Report run() {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallelism), daemonThreads());
        Set<String> chosen = new LinkedHashSet<>(selected);
        Map<String, Integer> waitingOn = new java.util.HashMap<>();
        java.util.Deque<String> ready = new java.util.ArrayDeque<>();
        for (String a : selected) {
            int n = (int) graph.upstream(a).stream().filter(chosen::contains).count();
            waitingOn.put(a, n);
            if (n == 0) {
                ready.add(a);
            }
        }
        List<String> heldExternal = new ArrayList<>();
        int[] pureLeft = {pureGate.size()};
        String[] pureFailure = {null};
        int running = 0;
        try {
            while (true) {
                // Start what can start; hold external steps until every gating pure step is done.
                while (!ready.isEmpty()) {
                    String a = ready.poll();
                    if (outcomes.containsKey(a)) {
                        continue;
                    }
                    if (session.cancelled.get()) {
                        finish(new StepOutcome(a, StepOutcome.Status.NOT_RUN, "run stopped", Duration.ZERO));
                        continue;
                    }
                    if (Engine.isExternal(graph, a) && pureFailure[0] != null) {
                        skip(a, pureFailure[0], chosen);
                    } else if (Engine.isExternal(graph, a) && pureLeft[0] > 0) {
                        heldExternal.add(a);
                    } else {
                        running++;
                        pool.submit(() -> finished.add(runGuarded(a)));
                    }
                }
                if (running == 0) {
                    break;
                }
                StepOutcome done = finished.take();
                running--;
                finish(done);
                boolean ok = done.status() == StepOutcome.Status.DONE || done.status() == StepOutcome.Status.UP_TO_DATE;
                if (pureGate.contains(done.address())) {
                    pureLeft[0]--;
                    if (!ok && pureFailure[0] == null) {
                        pureFailure[0] = "not started: pure step " + done.address() + " " + done.status().label()
                                + ", and external steps run only after every pure step succeeded";
                        for (String held : heldExternal) {
                            skip(held, pureFailure[0], chosen);
                        }
                        heldExternal.clear();
                    }
                    if (pureLeft[0] == 0) {
                        ready.addAll(heldExternal);
                        heldExternal.clear();
                    }
                }
                if (ok) {
                    for (String d : graph.downstream(done.address())) {
                        if (chosen.contains(d) && waitingOn.merge(d, -1, Integer::sum) == 0) {
                            ready.add(d);
                        }
                    }
                } else {
                    for (String d : graph.allDownstream(done.address())) {
                        if (chosen.contains(d) && !outcomes.containsKey(d)) {
                            finish(new StepOutcome(d, StepOutcome.Status.NOT_RUN,
                                    "upstream " + done.address() + " " + done.status().label(), Duration.ZERO));
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.cancelled.set(true);
        } finally {
            pool.shutdownNow();
        }
        List<StepOutcome> ordered = new ArrayList<>();
        for (String a : selected) {
            StepOutcome o = outcomes.get(a);
            ordered.add(o != null ? o : new StepOutcome(a, StepOutcome.Status.NOT_RUN, "run stopped", Duration.ZERO));
        }
        return new Report(ordered);
    }

    /** Marks an external step and everything after it as not run, for {@code why}. */
    private void skip(String address, String why, Set<String> chosen) {
        if (!outcomes.containsKey(address)) {
            finish(new StepOutcome(address, StepOutcome.Status.NOT_RUN, why, Duration.ZERO));
        }
        for (String d : graph.allDownstream(address)) {
            if (chosen.contains(d) && !outcomes.containsKey(d)) {
                finish(new StepOutcome(d, StepOutcome.Status.NOT_RUN, "upstream " + address + " not run", Duration.ZERO));
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "teeflow-step-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void finish(StepOutcome outcome) {
        outcomes.put(outcome.address(), outcome);
        session.listener.stepFinished(outcome);
    }

    /**
     * Whatever a step throws (an {@code Error} included) ends in an outcome, so the loop above never waits
     * for a step that died. A JVM error (out of memory, stack overflow) also stops the run: the JVM may be
     * unwell, and the summary and the lock release still have to happen.
     */
    private StepOutcome runGuarded(String address) {
        Instant start = Instant.now();
        try {
            return runStep(address);
        } catch (VirtualMachineError e) {
            session.cancelled.set(true);
            return new StepOutcome(address, StepOutcome.Status.FAILED, jvmError(e), since(start));
        } catch (Throwable e) {
            try {
                return failed(address, "unexpected error: " + e.getMessage(), start);
            } catch (Throwable again) {
                return new StepOutcome(address, StepOutcome.Status.FAILED, "unexpected error", since(start));
            }
        }
    }

    private static String jvmError(VirtualMachineError e) {
        if (e instanceof OutOfMemoryError) {
            return "the step ran out of memory; the run was stopped (give teeflow more memory with JAVA_OPTS=-Xmx..., "
                    + "or look at what the step reads: a result or file far larger than expected?)";
        }
        if (e instanceof StackOverflowError) {
            return "the step nested too deeply and ran out of stack; the run was stopped";
        }
        return "the Java runtime failed during the step; the run was stopped";
    }

    private StepOutcome runStep(String address) {
        Instant start = Instant.now();
        try {
            if (session.cancelled.get()) {
                return new StepOutcome(address, StepOutcome.Status.NOT_RUN, "run stopped", Duration.ZERO);
            }
            Decision d = evaluator.evaluate(address, outputs::get, replace.contains(address), false);
            if (d.action() == Action.BLOCKED) {
                return new StepOutcome(address, StepOutcome.Status.FAILED, d.reason(), since(start));
            }
            if (d.action() == Action.UP_TO_DATE) {
                if (d.upgraded() != null) {
                    session.store.write(d.upgraded());
                }
                outputs.put(address, d.recordedOutputs());
                return new StepOutcome(address, StepOutcome.Status.UP_TO_DATE, d.reason(), since(start));
            }
            StepType type = graph.type(address);
            session.listener.stepStarted(new PlannedStep(address, type.id(), graph.effect(address), d.action(),
                    d.reason(), null, List.copyOf(graph.upstream(address))));
            RunContext ctx = new RunContext(session, address, d.inputs(), d.key().value(), d.recordedOutputs(),
                    d.intent(), true);
            Outputs produced = type.run(ctx);
            if (produced == null) {
                produced = Outputs.none();
            }
            if (d.restoresOutputs() && sameAsRecorded(d, produced)) {
                // put back exactly as recorded (as the plan said): the record stands, what depends on it sees no change
                outputs.put(address, d.recordedOutputs());
                return new StepOutcome(address, StepOutcome.Status.DONE, d.reason(), since(start));
            }
            record(address, type, d, produced);
            outputs.put(address, produced);
            return new StepOutcome(address, StepOutcome.Status.DONE, d.reason(), since(start));
        } catch (TeeflowException e) {
            return failed(address, e.getMessage(), start);
        } catch (Exception | LinkageError | AssertionError e) {
            return failed(address, e.getClass().getSimpleName() + ": " + e.getMessage(), start);
        }
    }

    /** Whether a step that ran to restore its outputs gave back the very outputs its record holds, under the same key. */
    private boolean sameAsRecorded(Decision d, Outputs produced) {
        byte[] projectKey = session.projectKey();
        return d.record() != null && d.record().key().equals(d.key().value())
                && CacheKey.canonical(OutputCodec.encode(produced, session.projectDir), projectKey)
                        .equals(CacheKey.canonical(d.record().outputs(), projectKey));
    }

    private StepOutcome failed(String address, String message, Instant start) {
        return new StepOutcome(address, StepOutcome.Status.FAILED, session.redactor.redact(message), since(start));
    }

    /** Writes the step's record the moment it ends, then forgets its intent: the order matters for crashes. */
    private void record(String address, StepType type, Decision d, Outputs produced) {
        StepRecord record = StepRecords.of(session, address, type, d.key(), produced);
        CrashPoints.reached("before-record:" + address);
        session.store.write(record);
        CrashPoints.reached("after-record:" + address);
        FinishedIntents.keep(session.store, address); // what a damaged record can be recovered from
        session.store.clearIntent(address);
    }

    private static Duration since(Instant start) {
        return Duration.between(start, Instant.now());
    }
}
