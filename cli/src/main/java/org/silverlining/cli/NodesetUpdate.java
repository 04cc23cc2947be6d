package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.silverlining.core.Nodeset;

/**
 * {@code silver update APP_DIR SITE.nodeset [LOCATION]}: one update of every app server of a
 * nodeset, all or nothing until the switch. The app is packed once and sent to each server as a
 * <em>held</em> deployment: the first server runs every stage up to the switch ({@code
 * update_fetch} and {@code migrate_fetch} included), then the others do the same in parallel
 * without those two fetches, and each waits. When every one is ready, the first switches, then the
 * others. When one fails before that, the held ones are abandoned — the others first, the first
 * last, so that its checkpoint, taken before the migration, is the data restored last — and the old
 * version stays live everywhere. Then the balancer learns which app servers serve the location.
 */
final class NodesetUpdate {
  private final Nodeset set;
  private final NodeRegistry registry;
  private final PrintStream out;

  NodesetUpdate(Nodeset set, NodeRegistry registry, PrintStream out) {
    this.set = set;
    this.registry = registry;
    this.out = out;
  }

  /** The app servers that will be updated: those up, or all of them unless {@code skipDown}. */
  List<ApiClient> appServers(boolean skipDown) throws IOException {
    List<ApiClient> up = new ArrayList<>();
    List<String> down = new ArrayList<>();
    for (String name : set.appServers()) {
      ApiClient api = client(name);
      if (upOrBack(name, api)) {
        up.add(api);
      } else {
        down.add(name + " (" + api.node().adminUrl() + ")");
      }
    }
    if (!down.isEmpty() && (!skipDown || up.isEmpty())) {
      throw new UserException(
          "the app server"
              + (down.size() > 1 ? "s " : " ")
              + String.join(", ", down)
              + " of the nodeset "
              + set.name()
              + (down.size() > 1 ? " are" : " is")
              + " down; nothing was changed. Start "
              + (down.size() > 1 ? "them" : "it")
              + (up.isEmpty()
                  ? ""
                  : ", or pass --skip-down to update the others (the balancer sends a server that"
                      + " is behind nothing until it is updated too)"));
    }
    down.forEach(d -> out.println("Warning: skipping " + d + ": it is down"));
    return up;
  }

  /**
   * Whether the app server answers. One on this machine whose supervisor runs is restarting (it
   * died and is started again within seconds), not down: it is waited for ({@link
   * SupervisedRestart}).
   */
  private boolean upOrBack(String name, ApiClient api) {
    if (api.isUp()) {
      return true;
    }
    if (!SupervisedRestart.supervised(api.node().root())) {
      return false;
    }
    out.println("  " + name + " does not answer but its supervisor is starting it again; waiting");
    try {
      String why = SupervisedRestart.await(api.node().root(), api::isUp);
      if (why != null) {
        out.println("  " + name + " is not coming back: " + why);
      }
      return why == null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The nodeset's balancer, which must be up; null when the nodeset has none. */
  ApiClient balancer() throws IOException {
    if (set.balancer() == null) {
      return null;
    }
    ApiClient api = client(set.balancer());
    if (!api.isUp()) {
      throw new UserException(
          "the balancer "
              + set.balancer()
              + " ("
              + api.node().adminUrl()
              + ") of the nodeset "
              + set.name()
              + " is down; nothing was changed. Start it first.");
    }
    return api;
  }

  /**
   * With a nodeset Redis, makes {@code location} a nodeset location on each of {@code servers}: its
   * cron jobs run on the one that holds the nodeset's lease in that Redis, and its tasks are kept
   * in that Redis, where any of them delivers them.
   */
  void leadCron(List<ApiClient> servers, String location) throws IOException {
    if (set.redis() == null) {
      return;
    }
    for (ApiClient api : servers) {
      long t0 = System.nanoTime();
      JsonNode r =
          api.post(
              "nodeset/join",
              Map.of("nodeset", set.name(), "location", location, "redis", set.redis()));
      JsonNode mine = r.path("nodesets").path(set.name());
      out.printf(
          "  %-10s %-13s %-40s %6d ms%n",
          api.node().name(),
          "cron",
          truncate("once per nodeset; leader " + mine.path("leader").asText("(electing)"), 40),
          (System.nanoTime() - t0) / 1_000_000);
      out.printf(
          "  %-10s %-13s %s%n",
          api.node().name(),
          "tasks",
          r.has("tasks_error")
              ? "not in the nodeset's Redis yet (tried again every 30 s): "
                  + r.path("tasks_error").asText()
              : "in the nodeset's Redis"
                  + (r.path("tasks_moved").asInt() > 0
                      ? "; " + r.path("tasks_moved").asInt() + " task(s) moved there"
                      : ""));
    }
  }

  /**
   * Has {@code balancer} spread {@code location} over the fronts of {@code servers} (those with the
   * new version), after each of them trusts its forwarded headers.
   */
  void balance(ApiClient balancer, List<ApiClient> servers, String location) throws IOException {
    String balancerAddress = hostOf(balancer);
    List<String> fronts = new ArrayList<>();
    for (ApiClient api : servers) {
      api.post("balancer/trust", Map.of("nodeset", set.name(), "address", balancerAddress));
      fronts.add(frontOf(api));
    }
    long t0 = System.nanoTime();
    balancer.post(
        "balancer/route",
        Map.of("location", location, "nodeset", set.name(), "upstreams", String.join(",", fronts)));
    out.printf(
        "  %-10s %-13s %-40s %6d ms%n",
        set.balancer(),
        "balance",
        truncate(location + " -> " + String.join(" ", fronts), 40),
        (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Where the balancer reaches an app server's front: the host of its management API address (the
   * address the CLI reaches it at, on the servers' network) and its front's port.
   */
  private static String frontOf(ApiClient api) throws IOException {
    int port = api.get("", Map.of()).path("http_port").asInt();
    return hostOf(api) + ":" + port;
  }

  private static String hostOf(ApiClient api) {
    return java.net.URI.create(api.node().adminUrl()).getHost();
  }

  private static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  /** The registered node {@code name}, or a refusal naming the nodeset file. */
  ApiClient client(String name) throws IOException {
    if (!registry.names().contains(name)) {
      throw new UserException(
          set.source()
              + ": the node '"
              + name
              + "' is not registered with this CLI; register it (silver create-node, silver node"
              + " init) or fix the nodeset; known nodes: "
              + String.join(", ", registry.names()));
    }
    return new ApiClient(registry.resolve(name));
  }

  /**
   * Updates {@code servers} (up, the first runs the fetches) with {@code packed}. When it fails
   * before the last switch, {@code data} is put back, after the app servers the new version went
   * live on are rolled back.
   */
  List<String> update(
      List<ApiClient> servers, AppUploader.Packed packed, Path configDir, SharedDataCheckpoint data)
      throws IOException {
    long t0 = System.nanoTime();
    HeldDeployment first = new HeldDeployment(servers.get(0), packed, configDir, false, out);
    first.start();
    if (!first.awaitHeld()) {
      throw new UserException(failure(List.of(first), List.of()) + data.restore());
    }
    List<HeldDeployment> rest = new ArrayList<>();
    for (ApiClient api : servers.subList(1, servers.size())) {
      HeldDeployment d = new HeldDeployment(api, packed, configDir, true, out);
      d.start();
      rest.add(d);
    }
    List<HeldDeployment> failed = new ArrayList<>();
    for (HeldDeployment d : rest) {
      if (!d.awaitHeld()) {
        failed.add(d);
      }
    }
    if (!failed.isEmpty()) {
      List<HeldDeployment> held = new ArrayList<>(rest);
      held.removeAll(failed);
      held.add(first); // last: its checkpoint holds the data from before the migration
      for (HeldDeployment d : held) {
        d.abandon();
      }
      throw new UserException(failure(failed, held) + data.restore());
    }
    first.go();
    if (!first.succeeded()) {
      rest.forEach(HeldDeployment::abandon);
      throw new UserException(failure(List.of(first), rest) + data.restore());
    }
    rest.forEach(HeldDeployment::go);
    List<String> live = new ArrayList<>(List.of(first.server()));
    for (HeldDeployment d : rest) {
      if (d.succeeded()) {
        live.add(d.server());
      } else {
        failed.add(d);
      }
    }
    if (!failed.isEmpty() && data.kept()) {
      List<ApiClient> switched =
          servers.stream().filter(a -> live.contains(a.node().name())).toList();
      throw new UserException(failure(failed, List.of()) + data.revert(switched, packed.where()));
    }
    if (!failed.isEmpty()) {
      throw new UserException(
          "the new version is live on "
              + String.join(", ", live)
              + ", but not on "
              + String.join(", ", failed.stream().map(HeldDeployment::server).toList())
              + ":\n"
              + failure(failed, List.of())
              + "\nRun the same update again to bring every app server to the same version.");
    }
    List<String> lines = new ArrayList<>();
    for (HeldDeployment d : servers.size() == 1 ? List.of(first) : all(first, rest)) {
      lines.add(d.server() + ": " + d.result().path("instance").asText());
    }
    out.printf(
        "Live on %d app server(s) of %s: %s (%.1f s)%n",
        lines.size(), set.name(), String.join(", ", lines), (System.nanoTime() - t0) / 1e9);
    return live;
  }

  private static List<HeldDeployment> all(HeldDeployment first, List<HeldDeployment> rest) {
    List<HeldDeployment> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  /** The failure of {@code failed}, each naming its server; {@code undone} were taken back. */
  private String failure(List<HeldDeployment> failed, List<HeldDeployment> undone) {
    StringBuilder b = new StringBuilder();
    for (HeldDeployment d : failed) {
      b.append(b.length() == 0 ? "" : "\n")
          .append("app server ")
          .append(d.server())
          .append(": ")
          .append(AppUploader.failedUpdate(d.result(), d.where()));
    }
    if (!undone.isEmpty()) {
      b.append("\nThe deployments held on ")
          .append(String.join(", ", undone.stream().map(HeldDeployment::server).toList()))
          .append(" were undone: the old version stays live on every app server.");
    }
    return b.toString();
  }
}
