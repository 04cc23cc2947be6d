package org.silverlining.node.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.silverlining.node.service.PostgresService;
import org.silverlining.node.service.ServiceScope;
import org.silverlining.node.service.Services;

/**
 * A test-only program, run by {@link StreamingBackupTest} in a JVM with a small heap: fills a table
 * of {@code MB} megabytes on the server, backs it up into {@code DIR}, restores it into a second
 * app, and prints {@code rows SOURCE RESTORED bytes FILE_BYTES heap MAX}. Both apps are dropped at
 * the end.
 */
public final class StreamingBackupMain {
  private StreamingBackupMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int megabytes = Integer.parseInt(args[1]);
    PostgresService pg = new PostgresService();
    ServiceScope from =
        LiveServers.scope(LiveServers.uniqueApp("big"), "postgresql", dir.resolve("a"));
    ServiceScope to =
        LiveServers.scope(LiveServers.uniqueApp("big"), "postgresql", dir.resolve("b"));
    try {
      pg.provision(from);
      pg.provision(to);
      // 1 KiB a row, made by the server so that this JVM never holds the table.
      int rows = megabytes * 1024;
      try (Connection c = connect(pg, from);
          Statement st = c.createStatement()) {
        st.execute("CREATE TABLE big (id int PRIMARY KEY, body text)");
        st.execute(
            "INSERT INTO big SELECT g, repeat(md5(g::text), 32) FROM generate_series(1, "
                + rows
                + ") g");
      }
      long t0 = System.nanoTime();
      Backup.write(List.of(new Services.Bound(pg, from)), dir.resolve("backup"), Map.of());
      long t1 = System.nanoTime();
      Backup.restore(dir.resolve("backup"), List.of(new Services.Bound(pg, to)));
      long t2 = System.nanoTime();
      long size = Files.size(dir.resolve("backup/postgresql/data/public.big.tsv"));
      System.out.println(
          "rows "
              + count(pg, from)
              + " "
              + count(pg, to)
              + " bytes "
              + size
              + " heap "
              + Runtime.getRuntime().maxMemory()
              + " backup_ms "
              + (t1 - t0) / 1_000_000
              + " restore_ms "
              + (t2 - t1) / 1_000_000);
    } finally {
      pg.drop(from);
      pg.drop(to);
    }
  }

  private static Connection connect(PostgresService pg, ServiceScope s) throws Exception {
    return DriverManager.getConnection(pg.environment(s).get("CONFIG_PG_JDBC_URL"));
  }

  private static long count(PostgresService pg, ServiceScope s) throws Exception {
    try (Connection c = connect(pg, s);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM big")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
