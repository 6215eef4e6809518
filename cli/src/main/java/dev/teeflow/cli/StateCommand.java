package dev.teeflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.engine.state.StepRecord;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "state", description = "Shows what the state directory remembers.",
        subcommands = {StateCommand.ListCommand.class, StateCommand.ShowCommand.class})
final class StateCommand {
    @Command(name = "list", description = "Lists the steps that have a record.")
    static final class ListCommand implements Callable<Integer> {
        private final CliContext ctx;

        @Mixin
        PipelineOptions pipeline;

        ListCommand(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Pipeline p = pipeline.load(ctx);
            StateStore store = pipeline.stateStore(ctx, p);
            for (String address : store.addresses()) {
                StateStore.Read r = store.read(address);
                ctx.terminal.out.println(r.isCorrupt() ? address + "  (damaged: " + r.problem() + ")"
                        : address + "  " + r.record().type() + "  " + r.record().finishedAt());
            }
            return Main.OK;
        }
    }

    @Command(name = "show", description = "Prints one step's record: its key, input digests and outputs (never secret values).")
    static final class ShowCommand implements Callable<Integer> {
        private final CliContext ctx;

        @Mixin
        PipelineOptions pipeline;

        @Parameters(paramLabel = "ADDR", description = "The step's address.")
        String address;

        ShowCommand(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            Pipeline p = pipeline.load(ctx);
            StateStore.Read r = pipeline.stateStore(ctx, p).read(address);
            if (r.isCorrupt()) {
                throw new TeeflowException(r.problem());
            }
            StepRecord record = r.record();
            if (record == null) {
                throw new TeeflowException("no record for '" + address + "' (it never ran, or the address is wrong)");
            }
            ctx.terminal.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(record));
            return Main.OK;
        }
    }
}
