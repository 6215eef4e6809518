package dev.teeflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "teeflow", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Runs confidential-computing pipelines on iExec: plans what is already done, does only the rest.",
        subcommands = {ValidateCommand.class, PlanCommand.class, ApplyCommand.class, GraphCommand.class,
                RevokeCommand.class, StateCommand.class, LogsCommand.class, ForceUnlockCommand.class, InitCommand.class, ImportCommand.class, DatasetCommand.class, DevnetCommand.class,
                picocli.CommandLine.HelpCommand.class})
final class TeeflowCommand {
    @Option(names = "--no-color", scope = ScopeType.INHERIT, description = "Plain output without colours.")
    boolean noColor;

    @Option(names = "--stacktrace", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean stacktrace;
}
