package dev.relaypoint.app;

import dev.relaypoint.server.UserFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** {@code relaypoint user add|remove|list}: the users who may AUTH, in a file of bcrypt hashes. */
@Command(name = "user", description = "Manage the users who may authenticate (SMTP AUTH).",
    subcommands = {UserCommand.Add.class, UserCommand.Remove.class, UserCommand.List.class})
final class UserCommand {

  @Option(names = "--users", paramLabel = "FILE",
      description = "The user file (default: <data-dir>/users, as `serve` reads it).")
  Path usersFile;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: ./relaypoint-data).")
  Path dataDir;

  UserFile file() {
    Path path = usersFile != null ? usersFile : (dataDir != null ? dataDir : Path.of("relaypoint-data")).resolve("users");
    return new UserFile(path);
  }

  @Command(name = "add", description = "Add a user or change its password (read without echo, or from stdin).")
  static final class Add implements Callable<Integer> {
    @ParentCommand
    UserCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
    boolean fromStdin;

    @Override
    public Integer call() throws IOException {
      char[] password = fromStdin ? stdinLine() : prompt();
      try {
        parent.file().put(name, password);
      } finally {
        Arrays.fill(password, '\0');
      }
      System.out.println("user " + name + " saved");
      return 0;
    }

    private static char[] stdinLine() throws IOException {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null) {
        throw new IllegalArgumentException("no password on stdin");
      }
      return line.toCharArray();
    }

    private static char[] prompt() {
      Console console = System.console();
      if (console == null) {
        throw new IllegalArgumentException("no terminal to read the password from; use --password-stdin");
      }
      char[] first = console.readPassword("Password: ");
      char[] second = console.readPassword("Again: ");
      if (first == null || !Arrays.equals(first, second)) {
        throw new IllegalArgumentException("the passwords differ");
      }
      return first;
    }
  }

  @Command(name = "remove", description = "Remove a user.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand
    UserCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws IOException {
      if (!parent.file().remove(name)) {
        throw new IllegalArgumentException("no such user: " + name);
      }
      System.out.println("user " + name + " removed");
      return 0;
    }
  }

  @Command(name = "list", description = "List the user names.")
  static final class List implements Callable<Integer> {
    @ParentCommand
    UserCommand parent;

    @Override
    public Integer call() throws IOException {
      parent.file().names().forEach(System.out::println);
      return 0;
    }
  }
}
