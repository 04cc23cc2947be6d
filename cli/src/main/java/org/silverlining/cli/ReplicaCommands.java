package org.silverlining.cli;

import java.util.List;

/**
 * The programs that make a PostgreSQL cluster a streaming replica of a primary, as argument lists
 * (Debian's postgresql-common tools, run as root; {@code pg_basebackup} and {@code psql} as the
 * {@code postgres} user): {@link ReplicaSetup} runs them on the replica's machine.
 *
 * @param version the PostgreSQL major version, e.g. {@code 15}
 * @param cluster the cluster's name ({@code pg_lsclusters})
 * @param port its port
 * @param listen its {@code listen_addresses}: a list or {@code *}, since pg_createcluster leaves a
 *     value that looks like a number (a lone IPv4 address) unquoted, which PostgreSQL refuses
 */
record ReplicaCommands(String version, String cluster, int port, String listen) {
  ReplicaCommands {
    if (!version.matches("[0-9]{1,3}")) {
      throw new UserException("--pg-version '" + version + "' is not a PostgreSQL major version");
    }
    if (!cluster.matches("[a-z0-9_]{1,63}")) {
      throw new UserException("'" + cluster + "' cannot name a PostgreSQL cluster");
    }
    if (!listen.matches("[A-Za-z0-9.:*_-]{1,253}(,[A-Za-z0-9.:_-]{1,253})+|\\*")) {
      throw new UserException("'" + listen + "' is not an address list PostgreSQL can listen on");
    }
    if (port < 1 || port > 65535) {
      throw new UserException("--pg-port " + port + " is not a port number (1-65535)");
    }
  }

  /** The cluster's name for the replica node {@code node}. */
  static String clusterOf(String node) {
    return "silver_" + node.toLowerCase().replaceAll("[^a-z0-9_]", "_");
  }

  /** Debian's place for the cluster's data. */
  String dataDir() {
    return "/var/lib/postgresql/" + version + "/" + cluster;
  }

  /** One line per cluster: version, name, port, status, owner, data directory, log. */
  List<String> listClusters() {
    return List.of("pg_lsclusters", "--no-header");
  }

  /**
   * A new cluster, not started (its configuration in /etc/postgresql/VERSION/CLUSTER), started at
   * boot from then on.
   */
  List<String> createCluster() {
    return List.of(
        "pg_createcluster",
        version,
        cluster,
        "--port",
        Integer.toString(port),
        "-o",
        "listen_addresses=" + listen,
        "-o",
        "hot_standby=on");
  }

  /** Empties the data directory, which the base backup fills. */
  List<String> emptyDataDir() {
    return List.of("find", dataDir(), "-mindepth", "1", "-delete");
  }

  /**
   * A copy of the primary at {@code host}:{@code port} as {@code user}, keeping {@code slot}, with
   * {@code standby.signal} and {@code primary_conninfo} written ({@code -R}) so that it starts as a
   * replica; the password comes from {@code PGPASSWORD}, never from the arguments.
   */
  List<String> baseBackup(String host, String primaryPort, String user, String slot) {
    return List.of(
        "runuser",
        "-u",
        "postgres",
        "--",
        "/usr/lib/postgresql/" + version + "/bin/pg_basebackup",
        "-h",
        host,
        "-p",
        primaryPort,
        "-U",
        user,
        "-D",
        dataDir(),
        "-R",
        "-S",
        slot,
        "-X",
        "stream",
        "-w");
  }

  List<String> startCluster() {
    return List.of("pg_ctlcluster", version, cluster, "start");
  }

  /** Prints {@code t} on a replica, {@code f} on a primary. */
  List<String> inRecovery() {
    return List.of(
        "runuser",
        "-u",
        "postgres",
        "--",
        "psql",
        "-X",
        "-p",
        Integer.toString(port),
        "-Atc",
        "SELECT pg_is_in_recovery()");
  }
}
