package org.silverlining.cli;

import java.io.IOException;
import picocli.CommandLine.Option;

/** {@code --node NAME}: which registered node a command talks to (default: the first one). */
public final class NodeOption {
  @Option(
      names = "--node",
      paramLabel = "NAME",
      description =
          "The node to talk to, as registered by `silver node init` (default: the first).")
  String name;

  public ApiClient client() throws IOException {
    return new ApiClient(NodeRegistry.forUser().resolve(name));
  }
}
