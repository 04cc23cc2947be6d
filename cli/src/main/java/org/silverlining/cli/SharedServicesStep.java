package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.silverlining.core.AppConfig;
import org.silverlining.core.Nodeset;

/**
 * The {@code services} node of a nodeset in an update: provisions the app's PostgreSQL, MariaDB and
 * Redis services once, on the services node, and gives every app server the variables it answered
 * (and, when a streaming replica of its PostgreSQL is registered, {@code CONFIG_PG_REPLICA_HOST}
 * and {@code _PORT}), before any app server starts the new instance. The variables hold passwords:
 * they go in request bodies and are never printed. Without a services node, an app server that kept
 * another node's variables for the app forgets them.
 */
final class SharedServicesStep {
  /** The registration keys of a node that runs a streaming replica ({@code setup-node --role}). */
  static final String REPLICA_OF = "replica_of";

  static final String REPLICA_HOST = "pg_replica_host";
  static final String REPLICA_PORT = "pg_replica_port";

  private SharedServicesStep() {}

  /**
   * Provisions {@code app}'s services on the nodeset's services node and has each of {@code
   * servers} use them; nothing when the nodeset has no services node.
   */
  static void share(
      Nodeset set,
      NodesetUpdate update,
      NodeRegistry registry,
      List<ApiClient> servers,
      Path appDir,
      String app,
      PrintStream out)
      throws IOException {
    if (set.services() == null) {
      // A nodeset that had a services node and no longer has: the app servers' own services again.
      for (ApiClient api : servers) {
        if (!api.get("services/shared", Map.of("app", app)).path("provider").isNull()) {
          api.post("services/shared/forget", Map.of("app", app));
          out.println("  " + api.node().name() + ": the app's services are this node's own again");
        }
      }
      return;
    }
    ApiClient db = update.client(set.services());
    if (!db.isUp()) {
      throw new UserException(
          "the services node "
              + set.services()
              + " ("
              + db.node().adminUrl()
              + ") of the nodeset "
              + set.name()
              + " is down; nothing was changed. Start it first.");
    }
    long t0 = System.nanoTime();
    String ini = Files.readString(appDir.resolve(AppConfig.FILE_NAME));
    JsonNode provided =
        db.postText("services/provide", Map.of("app", app, "host", hostOf(db)), ini);
    ObjectNode vars = (ObjectNode) provided.path("services");
    List<String> names = new ArrayList<>();
    vars.fieldNames().forEachRemaining(names::add);
    String replica = addReplica(registry, set.services(), vars);
    line(
        out,
        set.services(),
        "provide",
        names.isEmpty() ? "no database services" : String.join(", ", names) + replica,
        t0);
    for (ApiClient api : servers) {
      long t1 = System.nanoTime();
      api.postText(
          "services/shared", Map.of("app", app, "provider", set.services()), vars.toString());
      line(
          out,
          api.node().name(),
          "services",
          names.isEmpty() ? "own" : "from " + set.services(),
          t1);
    }
  }

  /**
   * Adds the replica of {@code primary}'s PostgreSQL, when one is registered, to the postgresql
   * variables; says which, for the progress line.
   */
  private static String addReplica(NodeRegistry registry, String primary, ObjectNode vars)
      throws IOException {
    if (!vars.has("postgresql")) {
      return "";
    }
    for (String name : registry.names()) {
      Map<String, String> e = registry.entry(name);
      if (primary.equals(e.get(REPLICA_OF)) && e.containsKey(REPLICA_HOST)) {
        ((ObjectNode) vars.get("postgresql"))
            .put("CONFIG_PG_REPLICA_HOST", e.get(REPLICA_HOST))
            .put("CONFIG_PG_REPLICA_PORT", e.get(REPLICA_PORT));
        return " (replica on " + name + ")";
      }
    }
    return "";
  }

  /** The host of the node's management API address: where the CLI, and so its peers, reach it. */
  static String hostOf(ApiClient api) {
    return URI.create(api.node().adminUrl()).getHost();
  }

  private static void line(PrintStream out, String node, String stage, String detail, long t0) {
    out.printf(
        "  %-10s %-13s %-40s %6d ms%n", node, stage, detail, (System.nanoTime() - t0) / 1_000_000);
  }
}
