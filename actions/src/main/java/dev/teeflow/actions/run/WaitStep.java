package dev.teeflow.actions.run;

import dev.teeflow.actions.deploy.ChainAccess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.actions.chain.ChainResolver;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.actions.chain.ChainFields;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.FieldKind;
import dev.teeflow.engine.spi.StepOutput;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.protocol.chain.Deal;
import dev.teeflow.protocol.chain.Task;
import dev.teeflow.protocol.chain.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code run.wait}: watches a deal's tasks on chain ({@code viewTask}) until each is COMPLETED, with a
 * status line per change (ACTIVE, REVEALING, COMPLETED, FAILED, TIMEOUT) and the deadline. A failed
 * task fails the step with the worker's reason when the target's workerpool says it (the devnet's
 * task API); a task past its deadline fails it with the claim (refund) command. Changes nothing.
 *
 * <p>Outputs: {@code status}, {@code results} (the first task's on-chain results JSON),
 * {@code result-location}, {@code tasks} (per task: task-id, status, results, result-location).
 */
public final class WaitStep implements StepType {
    public static final String ID = "run.wait";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Given by a test; else each run's from the environment the engine gives the step. */
    private final ChainResolver chains;
    private final Duration pollInterval;

    public WaitStep() {
        this(null, Duration.ofSeconds(1));
    }

    WaitStep(ChainResolver chains, Duration pollInterval) {
        this.chains = chains;
        this.pollInterval = pollInterval;
    }

    private ChainResolver chains(StepContext ctx) {
        return chains != null ? chains : ChainResolver.of(ctx);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Effect effect() {
        return Effect.EXTERNAL;
    }

    static final StepSchema SCHEMA = StepSchema.builder("Waits until every task of a deal is completed (or failed, or past"
                    + " its deadline) and reads where its results are.")
            .field(Field.text("deal-id").required().doc("the deal (normally the deal step's output)"))
            .field(Field.list("task-ids", FieldKind.TEXT).required().doc("its tasks (normally the deal step's output)"))
            .field(Field.number("timeout-seconds").withDefault(0).doc("give up after this long (0: the deal's deadline)"))
            .field(ChainFields.CHAIN.required())
            .output(StepOutput.text("status", "the tasks' final status"))
            .output(new StepOutput("results", "list", false, "each task's result", null))
            .output(StepOutput.text("result-location", "where the first task's result is"))
            .output(new StepOutput("tasks", "list", false, "each task's id, status and result location", null))
            .build();

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    @Override
    public List<InputFile> inputFiles(Inputs inputs) {
        return ChainAccess.inputFiles(inputs);
    }

    @Override
    public Outputs run(StepContext ctx) throws Exception {
        Inputs in = ctx.inputs();
        ChainAccess chain = ChainAccess.readOnly(ctx, chains(ctx));
        chain.checkReachable();
        String dealId = in.string("deal-id");
        List<String> taskIds = in.strings("task-ids");
        Deal deal = chain.hub().viewDeal(dealId);
        if (deal.isEmpty()) {
            throw new TeeflowException(ctx.address() + ": deal " + dealId + " is not on " + chain.chain().describe());
        }
        long categoryTime = chain.hub().viewCategory(deal.category().longValueExact()).workClockTimeRef();
        Instant dealDeadline = Instant.ofEpochSecond(deal.startTime().longValueExact() + 10 * categoryTime);
        long limit = in.number("timeout-seconds", 0);
        Instant giveUp = limit > 0 ? Instant.now().plusSeconds(limit) : null;
        Optional<WorkerpoolApi> api = WorkerpoolApi.forTarget(in.child("chain").string("name", "devnet"), chains(ctx).teeflowHome());

        Map<String, String> lastStatus = new HashMap<>();
        Map<String, Task> completed = new LinkedHashMap<>();
        ctx.log().info("waiting for " + taskIds.size() + " task(s) of deal " + dealId + "; deadline " + dealDeadline);
        while (completed.size() < taskIds.size()) {
            if (ctx.isCancelled()) {
                throw new TeeflowException(ctx.address() + ": stopped while waiting; the deal " + dealId
                        + " goes on, and the next apply waits for it again");
            }
            for (String taskId : taskIds) {
                if (completed.containsKey(taskId)) {
                    continue;
                }
                Task task = chain.hub().viewTask(taskId);
                Instant deadline = task.status() == TaskStatus.UNSET ? dealDeadline
                        : Instant.ofEpochSecond(task.finalDeadline().longValueExact());
                String status = label(task.status());
                if (task.status() != TaskStatus.COMPLETED && task.status() != TaskStatus.FAILED
                        && Instant.now().isAfter(deadline)) {
                    status = "TIMEOUT";
                }
                if (!status.equals(lastStatus.put(taskId, status))) {
                    ctx.log().info("task " + taskId + " " + status + " (deadline " + deadline + ")");
                }
                switch (status) {
                    case "COMPLETED" -> completed.put(taskId, task);
                    case "FAILED" -> throw failed(ctx, taskId, api);
                    case "TIMEOUT" -> throw new TeeflowException(ctx.address() + ": task " + taskId + " of deal " + dealId
                            + " passed its deadline " + deadline + " without completing. Get the RLC back with"
                            + " 'iexec task claim " + taskId + "' (or send claim(" + taskId + ") to the hub "
                            + chain.chain().hub() + ", calldata " + MatchOrders.claim(taskId) + ")");
                    default -> {
                        if (api.isPresent()) {
                            Optional<WorkerpoolApi.Report> r = api.get().task(taskId);
                            if (r.isPresent() && (r.get().status().equals("FAILING") || r.get().status().equals("FAILED"))) {
                                throw failed(ctx, taskId, api);
                            }
                        }
                    }
                }
            }
            ctx.log().progress("tasks completed", completed.size(), taskIds.size(), "tasks");
            if (completed.size() < taskIds.size()) {
                if (giveUp != null && Instant.now().isAfter(giveUp)) {
                    throw new TeeflowException(ctx.address() + ": stopped waiting after " + limit + " s (wait.timeout-seconds);"
                            + " the deal " + dealId + " goes on: apply again to keep waiting");
                }
                Thread.sleep(pollInterval.toMillis());
            }
        }
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (var e : completed.entrySet()) {
            String results = new String(e.getValue().results(), StandardCharsets.UTF_8);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("task-id", e.getKey());
            t.put("status", "COMPLETED");
            t.put("results", results);
            t.put("result-location", location(results));
            tasks.add(t);
        }
        Map<String, Object> first = tasks.get(0);
        return Outputs.builder()
                .put("status", "COMPLETED")
                .put("results", first.get("results"))
                .put("result-location", first.get("result-location"))
                .put("tasks", tasks)
                .build();
    }

    private static TeeflowException failed(StepContext ctx, String taskId, Optional<WorkerpoolApi> api) {
        String why = api.flatMap(a -> a.task(taskId)).map(WorkerpoolApi.Report::describe)
                .orElse("the workerpool gives no reason here; look at the task with 'iexec task show " + taskId
                        + "' or ask the workerpool's operator");
        String run = runOf(ctx.address());
        return new TeeflowException(ctx.address() + ": task " + taskId + " FAILED: " + why + ". This deal will not"
                + " give a result, and applying again only looks at it again. Fix the app or its inputs and apply:"
                + " a changed app, dataset, args, input file or secret makes a new deal; or pay for the same task"
                + " again with 'teeflow apply --replace " + run + ".deal'. The failed task's RLC comes back with"
                + " 'iexec task claim " + taskId + "' once its deadline passed.\n"
                + "All of the app's output and the workerpool's statuses: teeflow logs " + run);
    }

    /** {@code run.check.wait} -> {@code run.check}. */
    static String runOf(String address) {
        int dot = address.lastIndexOf('.');
        return dot > 0 ? address.substring(0, dot) : address;
    }

    private static String label(TaskStatus s) {
        return s == TaskStatus.UNSET ? "WAITING (not started by the workerpool yet)" : s.name();
    }

    /** {@code location} of the results JSON ({@code {"storage":"ipfs","location":"/ipfs/<cid>"}}). */
    static String location(String results) {
        try {
            JsonNode n = JSON.readTree(results);
            String loc = n == null ? "" : n.path("location").asText("");
            if (!loc.isEmpty()) {
                return loc;
            }
        } catch (Exception e) {
            // not JSON: a callback result or a raw location
        }
        return results;
    }

    /** The first task is still COMPLETED on chain (a reset devnet has lost it). */
    @Override
    public Check verify(StepContext ctx, Outputs recorded) {
        List<String> taskIds = ctx.inputs().strings("task-ids");
        if (taskIds.isEmpty()) {
            return Check.gone("no task to check");
        }
        ChainAccess chain = ChainAccess.readOnly(ctx, chains(ctx));
        chain.checkReachable();
        Task t = chain.hub().viewTask(taskIds.get(0));
        return t.status() == TaskStatus.COMPLETED ? Check.holds()
                : Check.gone("task " + taskIds.get(0) + " is " + t.status() + " on chain, not COMPLETED");
    }

}
