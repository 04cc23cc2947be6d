package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code silver setup-node NAME --role replica --of DB}: a PostgreSQL streaming replica of the
 * services node DB's server, on NAME's machine. The services node prepares the primary (a
 * replication role, a slot for NAME, the {@code pg_hba.conf} line); on NAME's machine a new cluster
 * is made (not started), emptied and filled by {@code pg_basebackup -R} over the slot, and started:
 * it follows the primary from then on. The replica's address is registered with NAME, and the next
 * update of a nodeset whose {@code services} is DB gives apps {@code CONFIG_PG_REPLICA_HOST} and
 * {@code _PORT}. A cluster that is a replica already is left as it is.
 */
final class ReplicaSetup {
  /** How long the new replica may take to accept connections, in half-second checks. */
  private static final int READY_CHECKS = 60;

  private final NodeRegistry registry;
  private final PrintStream out;

  ReplicaSetup(NodeRegistry registry, PrintStream out) {
    this.registry = registry;
    this.out = out;
  }

  /** Sets {@code name} up as a replica of {@code of}'s PostgreSQL on {@code port}. */
  void setup(String name, String of, int port, String version) throws IOException {
    Map<String, String> entry = registry.entry(name);
    if (of.equals(name)) {
      throw new UserException("a node cannot be a replica of itself; name the services node");
    }
    Map<String, String> primaryEntry = registry.entry(of);
    ApiClient db = new ApiClient(registry.resolve(of));
    if (!db.isUp()) {
      throw new UserException(
          "the services node " + of + " (" + db.node().adminUrl() + ") is down; start it first");
    }
    boolean remote = RemoteNode.isRemote(entry);
    String host = replicaHost(entry, registry.resolve(name).adminUrl());
    String listen = remote ? "*" : host + ",localhost";
    ReplicaCommands cmd =
        new ReplicaCommands(version, ReplicaCommands.clusterOf(name), port, listen);
    CommandRunner runner = remote ? CommandRunner.ssh(target(entry)) : CommandRunner.local();
    Optional<String> cluster = existing(runner, cmd);
    if (cluster.isPresent() && recovering(runner, cmd)) {
      out.println(
          "The cluster "
              + version
              + "/"
              + cmd.cluster()
              + " on "
              + name
              + " is a replica already;"
              + " nothing changed.");
    } else {
      if (cluster.isPresent()) {
        throw new UserException(
            "the cluster "
                + version
                + "/"
                + cmd.cluster()
                + " on "
                + runner.where()
                + " exists and is not a replica (promoted?); keep it, or remove it (pg_dropcluster"
                + " --stop "
                + version
                + " "
                + cmd.cluster()
                + ") and run this again");
      }
      // Both on this machine, the replica reaches the primary over loopback, from 127.0.0.1.
      boolean together = !remote && !RemoteNode.isRemote(primaryEntry);
      JsonNode primary =
          db.post(
              "services/replication",
              Map.of(
                  "replica",
                  name,
                  "from",
                  together ? "127.0.0.1" : host,
                  "host",
                  URI.create(db.node().adminUrl()).getHost()));
      String from = primary.path("host").asText() + ":" + primary.path("port").asText();
      out.println(
          "Prepared the primary "
              + from
              + " on "
              + of
              + " (slot "
              + primary.path("slot").asText()
              + (primary.path("changed").asText().contains("pg_hba")
                  ? ", a pg_hba.conf line for the replica"
                  : "")
              + ")");
      check(runner, cmd.createCluster(), Map.of(), "making the cluster");
      check(runner, cmd.emptyDataDir(), Map.of(), "emptying its data directory");
      long t0 = System.nanoTime();
      check(
          runner,
          cmd.baseBackup(
              primary.path("host").asText(),
              primary.path("port").asText(),
              primary.path("user").asText(),
              primary.path("slot").asText()),
          Map.of("PGPASSWORD", primary.path("password").asText()),
          "copying the primary (pg_basebackup)");
      out.printf("Copied the primary in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      check(runner, cmd.startCluster(), Map.of(), "starting the replica");
      awaitReplica(runner, cmd);
    }
    Map<String, String> updated = new LinkedHashMap<>(entry);
    updated.put(SharedServicesStep.REPLICA_OF, of);
    updated.put(SharedServicesStep.REPLICA_HOST, host);
    updated.put(SharedServicesStep.REPLICA_PORT, Integer.toString(port));
    registry.update(name, updated);
    out.println(
        "PostgreSQL on "
            + name
            + " ("
            + updated.get(SharedServicesStep.REPLICA_HOST)
            + ":"
            + port
            + ") follows "
            + of
            + "'s; the next update of a nodeset with services = "
            + of
            + " gives apps CONFIG_PG_REPLICA_HOST and CONFIG_PG_REPLICA_PORT.");
  }

  /** The replica's address as its peers reach it: the ssh host, or its management API's host. */
  static String replicaHost(Map<String, String> entry, String adminUrl) {
    String ssh = entry.get("host");
    if (ssh != null && RemoteNode.isRemote(entry)) {
      return ssh.substring(ssh.indexOf('@') + 1);
    }
    return URI.create(adminUrl).getHost();
  }

  private SshTarget target(Map<String, String> entry) {
    return SshTarget.parse(
        entry.get("host"),
        Integer.valueOf(entry.getOrDefault("ssh_port", "22")),
        entry.containsKey("identity") ? Path.of(entry.get("identity")) : null,
        registry.knownHosts());
  }

  /** The {@code pg_lsclusters} line of the cluster, if it exists. */
  private static Optional<String> existing(CommandRunner runner, ReplicaCommands cmd)
      throws IOException {
    String list = check(runner, cmd.listClusters(), Map.of(), "listing the PostgreSQL clusters");
    return list.lines()
        .filter(
            l -> {
              String[] f = l.strip().split("\\s+");
              return f.length > 1 && f[0].equals(cmd.version()) && f[1].equals(cmd.cluster());
            })
        .findFirst();
  }

  private static boolean recovering(CommandRunner runner, ReplicaCommands cmd) throws IOException {
    CommandRunner.Result r = runner.run(cmd.inRecovery(), Map.of());
    return r.exitCode() == 0 && r.output().strip().equals("t");
  }

  private void awaitReplica(CommandRunner runner, ReplicaCommands cmd) throws IOException {
    for (int i = 0; i < READY_CHECKS; i++) {
      if (recovering(runner, cmd)) {
        return;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserException("interrupted");
      }
    }
    throw new UserException(
        "the cluster "
            + cmd.version()
            + "/"
            + cmd.cluster()
            + " on "
            + runner.where()
            + " did not come up as a replica within 30 s; see its log"
            + " (/var/log/postgresql/postgresql-"
            + cmd.version()
            + "-"
            + cmd.cluster()
            + ".log)");
  }

  /** Runs {@code command}; its output, or a failure naming {@code what} and the output's end. */
  private static String check(
      CommandRunner runner, List<String> command, Map<String, String> env, String what)
      throws IOException {
    CommandRunner.Result r = runner.run(command, env);
    if (r.exitCode() != 0) {
      List<String> lines = r.output().lines().filter(l -> !l.isBlank()).toList();
      throw new UserException(
          "on "
              + runner.where()
              + ", "
              + what
              + " failed (exit "
              + r.exitCode()
              + "): "
              + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
    }
    return r.output();
  }
}
