package org.silverlining.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Option;

/** {@code -y/--yes}: the question a command asks before it replaces or deletes data. */
final class ConfirmOption {
  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation.")
  boolean yes;

  /**
   * True with {@code --yes} or when the user answers yes to {@code question}; otherwise prints that
   * nothing was changed.
   */
  boolean confirmed(String question) throws IOException {
    if (yes || ask(question)) {
      return true;
    }
    System.out.println("Nothing was changed.");
    return false;
  }

  /** Asks {@code question} and reads y or yes (any case) from the terminal. */
  static boolean ask(String question) throws IOException {
    System.out.print(question + " (y/n) ");
    System.out.flush();
    String answer =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return answer != null
        && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
  }
}
