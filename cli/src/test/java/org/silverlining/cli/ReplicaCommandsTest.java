package org.silverlining.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaCommandsTest {
  private final ReplicaCommands cmd =
      new ReplicaCommands("15", "silver_db2", 5433, "10.0.0.8,localhost");

  @Test
  void theClusterIsMadeEmptiedCopiedFromThePrimaryAndStarted() {
    assertThat(cmd.createCluster())
        .containsExactly(
            "pg_createcluster",
            "15",
            "silver_db2",
            "--port",
            "5433",
            "-o",
            "listen_addresses=10.0.0.8,localhost",
            "-o",
            "hot_standby=on");
    assertThat(cmd.emptyDataDir())
        .containsExactly("find", "/var/lib/postgresql/15/silver_db2", "-mindepth", "1", "-delete");
    assertThat(cmd.baseBackup("10.0.0.5", "5432", "silver_replication", "silver_db2"))
        .containsExactly(
            "runuser",
            "-u",
            "postgres",
            "--",
            "/usr/lib/postgresql/15/bin/pg_basebackup",
            "-h",
            "10.0.0.5",
            "-p",
            "5432",
            "-U",
            "silver_replication",
            "-D",
            "/var/lib/postgresql/15/silver_db2",
            "-R",
            "-S",
            "silver_db2",
            "-X",
            "stream",
            "-w");
    assertThat(cmd.startCluster()).containsExactly("pg_ctlcluster", "15", "silver_db2", "start");
    assertThat(cmd.inRecovery())
        .containsExactly(
            "runuser",
            "-u",
            "postgres",
            "--",
            "psql",
            "-X",
            "-p",
            "5433",
            "-Atc",
            "SELECT pg_is_in_recovery()");
  }

  @Test
  void aClusterIsNamedAfterItsNodeAndBadValuesAreRefused() {
    assertThat(ReplicaCommands.clusterOf("DB-2")).isEqualTo("silver_db_2");
    assertThatThrownBy(() -> new ReplicaCommands("15; rm", "c", 5433, "*"))
        .hasMessageContaining("--pg-version '15; rm' is not a PostgreSQL major version");
    assertThatThrownBy(() -> new ReplicaCommands("15", "c", 5433, "10.0.0.8"))
        .hasMessageContaining("'10.0.0.8' is not an address list PostgreSQL can listen on");
    assertThatThrownBy(() -> new ReplicaCommands("15", "c", 70000, "*"))
        .hasMessageContaining("--pg-port 70000 is not a port number");
  }

  @Test
  void overSshThePasswordGoesInTheScriptNotTheCommandLineAndEveryWordIsQuoted() {
    String script =
        CommandRunner.script(
            List.of("pg_ctlcluster", "15", "it's", "start"), Map.of("PGPASSWORD", "p'w"), true);
    assertThat(script)
        .isEqualTo(
            "export PGPASSWORD='p'\\''w'\n"
                + "exec 'sudo' '-n' '-E' 'pg_ctlcluster' '15' 'it'\\''s' 'start'\n");
  }
}
