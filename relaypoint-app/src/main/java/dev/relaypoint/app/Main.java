package dev.relaypoint.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code relaypoint} command line. Errors are one line on stderr and a non-zero exit, never a stack trace. */
@Command(name = "relaypoint", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Relaypoint: a mail transfer agent with RFC 1845 SMTP checkpoint/restart.",
    subcommands = {ServeCommand.class, dev.relaypoint.app.send.SendCommand.class,
        dev.relaypoint.app.queue.QueueCommand.class, UserCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

  /** Exit code for a bad command line or config file. */
  public static final int EXIT_USAGE = 2;
  /** Exit code when the program could not do its job (busy port, unwritable directory, I/O error). */
  public static final int EXIT_FAILURE = 1;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setParameterExceptionHandler((e, args) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println("relaypoint: " + e.getMessage());
      err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
      return EXIT_USAGE;
    });
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      err.println("relaypoint: " + describe(e));
      return e instanceof IllegalArgumentException || e instanceof ConfigException ? EXIT_USAGE : EXIT_FAILURE;
    });
    return cli;
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    if (e instanceof IOException && e.getCause() != null && message == null) {
      message = e.getCause().getMessage();
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    spec.commandLine().getErr().println("relaypoint: a command is required");
    return EXIT_USAGE;
  }
}
