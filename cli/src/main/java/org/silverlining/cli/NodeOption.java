package org.silverlining.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.core.Nodeset;
import picocli.CommandLine.Option;

/**
 * {@code --node NAME}: which registered node a command talks to (default: the first one); or a
 * nodeset file, for the commands that act on each of its app servers ({@link #clients}) or on one
 * of them ({@link #client}: the first one up).
 */
public final class NodeOption {
  @Option(
      names = "--node",
      paramLabel = "NAME|SITE.nodeset",
      description =
          "The node to talk to, as registered by `silver node init` (default: the first); or a"
              + " nodeset file: its app servers.")
  String name;

  /** The node; for a nodeset, its first app server that is up. */
  public ApiClient client() throws IOException {
    if (!isNodeset()) {
      return new ApiClient(NodeRegistry.forUser().resolve(name));
    }
    for (String server : nodeset().appServers()) {
      ApiClient api = new ApiClient(NodeRegistry.forUser().resolve(server));
      if (api.isUp()) {
        return api;
      }
    }
    throw new UserException(
        "no app server of the nodeset " + nodeset().name() + " is up: " + nodeset().appServers());
  }

  /**
   * The node, or every app server of the nodeset, which must all be up: a command that changes them
   * all must not leave one behind unnoticed.
   */
  public List<ApiClient> clients() throws IOException {
    if (!isNodeset()) {
      return List.of(client());
    }
    List<ApiClient> all = new ArrayList<>();
    List<String> down = new ArrayList<>();
    for (String server : nodeset().appServers()) {
      ApiClient api = new ApiClient(NodeRegistry.forUser().resolve(server));
      if (api.isUp()) {
        all.add(api);
      } else {
        down.add(server + " (" + api.node().adminUrl() + ")");
      }
    }
    if (!down.isEmpty()) {
      throw new UserException(
          "the app server(s) "
              + String.join(", ", down)
              + " of the nodeset "
              + nodeset().name()
              + " are down; nothing was changed. Start them first.");
    }
    return all;
  }

  /**
   * Takes {@code file}, a command's NODESET argument, as {@code --node} when given.
   *
   * @throws UserException when it is not a nodeset file's name
   */
  public void nodesetArgument(String file) {
    if (file == null) {
      return;
    }
    if (!Nodeset.isNodesetFile(file)) {
      throw new UserException("'" + file + "' is not a nodeset file (NAME.nodeset)");
    }
    name = file;
  }

  /** Whether {@code --node} names a nodeset file. */
  public boolean isNodeset() {
    return Nodeset.isNodesetFile(name);
  }

  /** The nodeset file {@code --node} names, read; a clear error when it cannot be used. */
  public Nodeset nodeset() throws IOException {
    try {
      return Nodeset.load(Path.of(name));
    } catch (NoSuchFileException e) {
      throw new UserException("no nodeset file " + name);
    } catch (InvalidConfigException e) {
      throw new UserException(e.getMessage());
    }
  }

  /** What a line about {@code api} starts with: its name when a nodeset has several. */
  public String prefix(ApiClient api) {
    return isNodeset() ? api.node().name() + ": " : "";
  }
}
