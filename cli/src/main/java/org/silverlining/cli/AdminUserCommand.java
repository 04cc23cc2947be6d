package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver admin-user add|list|remove}: who may log in to the node's dashboard. */
@Command(
    name = "admin-user",
    description = {
      "Manage the admin users who log in to the node's dashboard (the admin listener's /).",
      "Passwords are kept as slow hashes (PBKDF2-HMAC-SHA256); with --totp a user also gives a"
          + " code from an authenticator app."
    },
    subcommands = {
      AdminUserCommand.Add.class,
      AdminUserCommand.ListUsers.class,
      AdminUserCommand.Remove.class
    })
final class AdminUserCommand {
  @Command(
      name = "add",
      description = {
        "Add an admin user. The password is asked twice on the terminal, or read from standard"
            + " input with --password-stdin (one line); 10 to 1024 characters.",
        "With --totp, prints an otpauth:// URI to add to an authenticator app (as a QR code or"
            + " pasted); it holds the TOTP secret and is shown this once."
      })
  static final class Add implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "NAME",
        description = "The user's name: letters, digits and . _ @ -.")
    String name;

    @Option(
        names = "--password-stdin",
        description = "Read the password from standard input instead of asking on the terminal.")
    boolean passwordStdin;

    @Option(names = "--totp", description = "Also ask this user for a TOTP code at login.")
    boolean totp;

    @Mixin JsonOption output;

    @Mixin NodeOption node;

    @Override
    public Integer call() throws Exception {
      char[] password = passwordStdin ? fromStdin() : fromTerminal();
      JsonNode r;
      try {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("name", name);
        if (totp) {
          params.put("totp", "true");
        }
        r = node.client().postText("admin-users/add", params, new String(password));
      } finally {
        Arrays.fill(password, '\0');
      }
      if (output.printed(r)) {
        return 0;
      }
      System.out.println(
          "Admin user " + name + " added: log in at the node's admin address, path /.");
      if (!r.path("otpauth_uri").isNull()) {
        System.out.println(
            "Add this to an authenticator app (it holds the TOTP secret and is shown only now):");
        System.out.println(r.path("otpauth_uri").asText());
      }
      return 0;
    }

    private static char[] fromStdin() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = System.in.read()) != -1 && b != '\n') {
        line.write(b);
      }
      byte[] bytes = line.toByteArray();
      String s = new String(bytes, StandardCharsets.UTF_8);
      Arrays.fill(bytes, (byte) 0);
      if (s.endsWith("\r")) {
        s = s.substring(0, s.length() - 1);
      }
      if (s.isEmpty()) {
        throw new UserException("--password-stdin: standard input has no password (one line)");
      }
      return s.toCharArray();
    }

    private static char[] fromTerminal() {
      Console console = System.console();
      if (console == null) {
        throw new UserException(
            "there is no terminal to ask for the password: give it on standard input with"
                + " --password-stdin");
      }
      char[] first = console.readPassword("Password: ");
      char[] second = console.readPassword("Password again: ");
      if (first == null || second == null || !Arrays.equals(first, second)) {
        throw new UserException("the two passwords differ; nothing was changed");
      }
      Arrays.fill(second, '\0');
      return first;
    }
  }

  @Command(
      name = "list",
      description = "List the admin users: name, TOTP, when added and last logged in.")
  static final class ListUsers implements Callable<Integer> {
    @Mixin JsonOption output;

    @Mixin NodeOption node;

    @Override
    public Integer call() throws Exception {
      JsonNode r = node.client().get("admin-users", Map.of());
      if (output.printed(r)) {
        return 0;
      }
      if (r.path("users").isEmpty()) {
        System.out.println("No admin users: add one with silver admin-user add NAME.");
        return 0;
      }
      Table table = new Table("NAME", "TOTP", "CREATED", "LAST LOGIN");
      for (JsonNode u : r.path("users")) {
        table.row(
            u.path("name").asText(),
            u.path("totp").asBoolean() ? "yes" : "no",
            u.path("created").asText(),
            u.path("last_login").isNull() ? "never" : u.path("last_login").asText());
      }
      table.print(System.out);
      return 0;
    }
  }

  @Command(name = "remove", description = "Remove an admin user; their dashboard sessions end.")
  static final class Remove implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The user to remove.")
    String name;

    @Mixin JsonOption output;

    @Mixin NodeOption node;

    @Override
    public Integer call() throws Exception {
      JsonNode r = node.client().post("admin-users/remove", Map.of("name", name));
      if (!output.printed(r)) {
        System.out.println("Admin user " + name + " removed.");
      }
      return 0;
    }
  }
}
