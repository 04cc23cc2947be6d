package org.silverlining.node.service;

import static org.silverlining.node.service.SqlQuoting.pgIdentifier;
import static org.silverlining.node.service.SqlQuoting.pgLiteral;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * On a nodeset's services node, what a streaming replica of its PostgreSQL server needs from the
 * primary: the role {@value #ROLE} ({@code REPLICATION LOGIN}, its password kept in the node's
 * secrets), a physical replication slot per replica ({@code silver_NAME}, so that the primary keeps
 * the WAL a replica has not received yet), and, when the server runs on this machine, a {@code
 * pg_hba.conf} line that lets the role connect for replication from the replica's address (then the
 * configuration is reloaded). Each step looks first: preparing again changes nothing.
 */
public final class PostgresReplication {
  static final String ROLE = "silver_replication";
  private static final Pattern REPLICA = Pattern.compile("[a-z0-9_]{1,50}");
  private static final Pattern ADDRESS = Pattern.compile("[0-9a-fA-F.:]{2,45}");

  private final ServiceScope scope;

  /**
   * @param server {@code [service.postgresql]} of node.ini
   * @param secrets where the replication role's password is kept
   */
  public PostgresReplication(Map<String, String> server, ServiceSecrets secrets) {
    this.scope =
        new ServiceScope(
            "silver", "postgresql", Map.of(), ServiceMode.PRODUCTION, server, null, secrets);
  }

  /**
   * The slot of the replica named {@code replica} (a node name, lower-cased, {@code _} for others).
   */
  public static String slot(String replica) {
    String s = "silver_" + replica.toLowerCase().replaceAll("[^a-z0-9_]", "_");
    if (!REPLICA.matcher(s.substring("silver_".length())).matches()) {
      throw new IllegalArgumentException("'" + replica + "' cannot name a replication slot");
    }
    return s;
  }

  /**
   * Makes the role, the slot of {@code replica} and, for a server on this machine, the {@code
   * pg_hba.conf} line for connections from {@code from} (an IP address); returns {@code user},
   * {@code password}, {@code slot} and what was done in {@code changed}.
   */
  public Map<String, String> prepare(String replica, String from) throws ServiceException {
    if (!ADDRESS.matcher(from).matches()) {
      throw new ServiceException("'" + from + "' is not an IP address");
    }
    String slot = slot(replica);
    ServerSettings server = PostgresService.server(scope);
    String password = ServicePasswords.getOrCreate(scope, "postgresql", ROLE);
    StringBuilder changed = new StringBuilder();
    try (Connection admin = PostgresService.connect(server, PostgresService.adminDatabase(scope));
        Statement st = admin.createStatement()) {
      String verb =
          PostgresService.exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", ROLE)
              ? "ALTER"
              : "CREATE";
      st.execute(
          verb
              + " ROLE "
              + pgIdentifier(ROLE)
              + " WITH REPLICATION LOGIN PASSWORD "
              + pgLiteral(password));
      if (!PostgresService.exists(
          admin, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", slot)) {
        try (PreparedStatement ps =
            admin.prepareStatement("SELECT pg_create_physical_replication_slot(?)")) {
          ps.setString(1, slot);
          ps.execute();
        }
        changed.append("slot ").append(slot).append(' ');
      }
      if (ServiceProvider.isLoopback(server.host()) && allowReplication(admin, from, replica)) {
        changed.append("pg_hba.conf ");
      }
    } catch (SQLException | IOException e) {
      throw server.failure("cannot prepare replication to " + replica, e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("user", ROLE);
    out.put("password", password);
    out.put("slot", slot);
    out.put("changed", changed.toString().strip());
    return out;
  }

  /**
   * Appends the {@code pg_hba.conf} line for replication from {@code from} when the file lacks it,
   * and reloads the server's configuration; whether it did.
   */
  private static boolean allowReplication(Connection admin, String from, String replica)
      throws SQLException, IOException {
    Path hba;
    try (Statement st = admin.createStatement();
        ResultSet rs = st.executeQuery("SHOW hba_file")) {
      rs.next();
      hba = Path.of(rs.getString(1));
    }
    String line = hbaLine(from);
    if (Files.readAllLines(hba).stream().anyMatch(l -> l.strip().equals(line))) {
      return false;
    }
    Files.writeString(
        hba,
        "# silver: the streaming replica " + replica + "\n" + line + "\n",
        StandardOpenOption.APPEND);
    try (Statement st = admin.createStatement()) {
      st.execute("SELECT pg_reload_conf()");
    }
    return true;
  }

  /** The {@code pg_hba.conf} line that lets the replication role in from {@code from}. */
  static String hbaLine(String from) {
    String mask = from.contains(":") ? "/128" : "/32";
    return "host replication " + ROLE + " " + from + mask + " scram-sha-256";
  }

  /**
   * Where a replica reaches the primary: {@code host} and {@code port} as for app servers ({@link
   * ServiceProvider}), {@code nodeHost} being this node's address as the CLI reaches it.
   */
  public Map<String, String> primary(String nodeHost) {
    Map<String, String> seen = ServiceProvider.advertised(scope.server(), nodeHost);
    return Map.of(
        "host", seen.getOrDefault("host", "127.0.0.1"), "port", seen.getOrDefault("port", "5432"));
  }

  /** Drops the slot of {@code replica}, ending its connection; whether there was one. */
  public boolean dropSlot(String replica) throws ServiceException {
    String slot = slot(replica);
    ServerSettings server = PostgresService.server(scope);
    try (Connection admin = PostgresService.connect(server, PostgresService.adminDatabase(scope))) {
      if (!PostgresService.exists(
          admin, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", slot)) {
        return false;
      }
      try (PreparedStatement ps =
          admin.prepareStatement(
              "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots"
                  + " WHERE slot_name = ? AND active")) {
        ps.setString(1, slot);
        ps.execute();
      }
      for (int attempt = 0; ; attempt++) {
        try (PreparedStatement ps = admin.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
          ps.setString(1, slot);
          ps.execute();
          return true;
        } catch (SQLException e) {
          if (attempt == 50) {
            throw e;
          }
          Thread.sleep(100); // the ended walsender takes a moment to let the slot go
        }
      }
    } catch (SQLException e) {
      throw server.failure("cannot drop the replication slot " + slot, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceException("interrupted while dropping " + slot, e);
    }
  }
}
