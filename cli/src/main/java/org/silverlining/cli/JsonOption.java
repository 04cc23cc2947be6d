package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Option;

/** {@code --json}: print the node's answer as it came, for scripts, instead of a table. */
final class JsonOption {
  @Option(names = "--json", description = "Print the node's answer as JSON.")
  boolean json;

  /** Prints the answer and returns true with --json; returns false for the caller to render it. */
  boolean printed(JsonNode answer) {
    if (json) {
      System.out.println(answer.toPrettyString());
    }
    return json;
  }
}
