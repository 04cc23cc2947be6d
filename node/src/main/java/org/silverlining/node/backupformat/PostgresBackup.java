package org.silverlining.node.backupformat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.function.Predicate;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up and restores an app's PostgreSQL database in the backup format (docs/backup-format.md):
 * {@code schema.sql} and {@code constraints.sql} from pg_dump, {@code sequences.jsonl}, and one
 * {@code data/SCHEMA.TABLE.tsv} per table in COPY's text format ({@link CopyFile}).
 *
 * <p>Rows stream both ways through COPY without being converted: {@code COPY (SELECT ... ORDER BY
 * key) TO STDOUT} hands over one row at a time and its bytes go to the file as they are; a restore
 * sends the file back to {@code COPY ... FROM STDIN} in 64 KiB chunks. Neither side holds more than
 * one row and one buffer, so a table larger than the heap works. Values are PostgreSQL's own text
 * forms under fixed session settings ({@link #SESSION}), which read back to the same value. Backups
 * of format version 1 hold JSON lines ({@link RowFile}) instead; a restore reads either.
 */
public final class PostgresBackup {
  private static final Logger log = LoggerFactory.getLogger(PostgresBackup.class);

  /** Session settings that make every value's text form the same on every server and run. */
  static final List<String> SESSION =
      List.of(
          "SET client_encoding = 'UTF8'",
          "SET DateStyle = 'ISO, YMD'",
          "SET IntervalStyle = 'postgres'",
          "SET TimeZone = 'UTC'",
          "SET extra_float_digits = 1",
          "SET bytea_output = 'hex'");

  static final String SCHEMA = "schema.sql";
  static final String CONSTRAINTS = "constraints.sql";
  static final String SEQUENCES = "sequences.jsonl";
  static final String DATA = "data";
  private static final int COPY_CHUNK = 1 << 16;

  private static final String TABLES =
      "SELECT c.oid, n.nspname, c.relname FROM pg_class c"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE c.relkind = ? AND n.nspname <> 'information_schema'"
          + " AND n.nspname NOT LIKE 'pg\\_%'"
          + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass"
          + " AND d.objid = c.oid AND d.deptype = 'e')"
          + " ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\"";
  private static final String COLUMNS =
      "SELECT attname, attcollation <> 0 FROM pg_attribute WHERE attrelid = ? AND attnum > 0"
          + " AND NOT attisdropped AND attgenerated = '' ORDER BY attnum";
  private static final String PRIMARY_KEY =
      "SELECT a.attname, a.attcollation <> 0 FROM pg_index i"
          + " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
          + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
          + " WHERE i.indrelid = ? AND i.indisprimary ORDER BY k.ord";

  private PostgresBackup() {}

  private record Column(String name, boolean collatable) {}

  private record Table(long oid, String schema, String name) {
    String qualified() {
      return PostgresSchema.quoteIdentifier(schema) + "." + PostgresSchema.quoteIdentifier(name);
    }
  }

  /** Writes the database into {@code dir}; returns the server's version, for the manifest. */
  public static String write(PostgresTarget target, Path dir)
      throws IOException, SQLException, BackupException {
    Files.createDirectories(dir.resolve(DATA));
    long t0 = System.nanoTime();
    // pg_dump writes the schema on a thread of its own while the rows are copied.
    FutureTask<Long> schema =
        new FutureTask<>(
            () -> {
              dumpSchema(target, "pre-data", dir.resolve(SCHEMA));
              dumpSchema(target, "post-data", dir.resolve(CONSTRAINTS));
              return System.nanoTime();
            });
    Thread dumper = new Thread(schema, "pg_dump-schema");
    dumper.setDaemon(true);
    dumper.start();
    String version;
    try {
      version = writeData(target, dir);
    } catch (IOException | SQLException | RuntimeException e) {
      try {
        join(schema); // its files go with the folder the caller deletes
      } catch (IOException | BackupException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
    long t1 = System.nanoTime();
    long t2 = join(schema);
    log.info(
        "{} backed up: rows in {} ms, schema (beside them) in {} ms",
        target.database(),
        (t1 - t0) / 1_000_000,
        (t2 - t0) / 1_000_000);
    return version;
  }

  private static long join(FutureTask<Long> schema) throws IOException, BackupException {
    return BackgroundWork.await(schema, "pg_dump of the schema");
  }

  /** The rows of every table and the sequences, in one snapshot; returns the server's version. */
  private static String writeData(PostgresTarget target, Path dir)
      throws IOException, SQLException {
    try (Connection c = target.connect()) {
      // One snapshot for every table and sequence, as pg_dump takes.
      beginReading(c, null);
      for (Table t : relations(c, "r")) {
        writeTable(
            target, c, t, dir.resolve(DATA).resolve(CopyFile.fileName(t.schema(), t.name())));
      }
      writeSequences(c, dir.resolve(SEQUENCES));
      String version = serverVersion(c);
      c.commit();
      return version;
    }
  }

  /**
   * Begins a read-only transaction on {@code c} that sees one snapshot ({@code snapshot}, exported
   * by another such transaction, or its own when null), under the session settings of {@link
   * #SESSION}.
   */
  static void beginReading(Connection c, String snapshot) throws SQLException {
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      if (snapshot != null) {
        st.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "''") + "'");
      }
      for (String s : SESSION) {
        st.execute(s);
      }
    }
  }

  private static void dumpSchema(PostgresTarget target, String section, Path file)
      throws IOException, BackupException {
    Path raw = Files.createTempFile(file.getParent(), "pg_dump-", ".sql");
    try {
      ProcessRunner.run(
          PostgresSchema.dumpCommand(target, section), target.environment(), raw, file.getParent());
      List<String> stable = PostgresSchema.stable(Files.readAllLines(raw, StandardCharsets.UTF_8));
      Files.write(file, stable, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(raw);
    }
  }

  private static List<Table> relations(Connection c, String kind) throws SQLException {
    List<Table> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(TABLES)) {
      ps.setString(1, kind);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Table(rs.getLong(1), rs.getString(2), rs.getString(3)));
        }
      }
    }
    return out;
  }

  private static List<Column> columns(Connection c, String query, long oid) throws SQLException {
    List<Column> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Column(rs.getString(1), rs.getBoolean(2)));
        }
      }
    }
    return out;
  }

  /**
   * The query for a table's rows in key order: the primary key's columns, compared byte-wise
   * ({@code COLLATE "C"}) where they are text, so the order is the same under any locale; without a
   * primary key, every column's text form in turn.
   */
  static String selectInKeyOrder(
      String table,
      List<String> columns,
      List<String> keys,
      List<Boolean> keyCollatable,
      boolean hasPrimaryKey) {
    StringBuilder q = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      q.append(i == 0 ? "" : ", ").append(PostgresSchema.quoteIdentifier(columns.get(i)));
    }
    q.append(" FROM ONLY ").append(table);
    if (!keys.isEmpty()) {
      q.append(" ORDER BY ");
      for (int i = 0; i < keys.size(); i++) {
        String k = PostgresSchema.quoteIdentifier(keys.get(i));
        q.append(i == 0 ? "" : ", ");
        if (!hasPrimaryKey) {
          q.append(k).append("::text COLLATE \"C\"");
        } else {
          q.append(k).append(keyCollatable.get(i) ? " COLLATE \"C\"" : "");
        }
      }
    }
    return q.toString();
  }

  /**
   * Writes a table's rows in key order: as they are stored when that is key order ({@link
   * StoredOrder}), else through the key.
   */
  private static void writeTable(PostgresTarget target, Connection c, Table t, Path file)
      throws SQLException, IOException {
    List<Column> cols = columns(c, COLUMNS, t.oid());
    List<Column> pk = columns(c, PRIMARY_KEY, t.oid());
    List<String> names = cols.stream().map(Column::name).toList();
    if (pk.size() == 1) {
      String key = pk.get(0).name();
      String stored = selectInKeyOrder(t.qualified(), names, List.of(), List.of(), false);
      if (StoredOrder.write(target, c, t.oid(), key, stored, names, file)) {
        return;
      }
    }
    List<Column> order = pk.isEmpty() ? cols : pk;
    String select =
        selectInKeyOrder(
            t.qualified(),
            names,
            order.stream().map(Column::name).toList(),
            order.stream().map(Column::collatable).toList(),
            !pk.isEmpty());
    copyOut(c, select, names, file, null);
  }

  /**
   * Writes the rows {@code select} returns into {@code file}; with {@code rows} not null, hands
   * each row to it first and stops reading, leaving the file incomplete, as soon as it says no.
   * Returns false if it stopped.
   */
  static boolean copyOut(
      Connection c, String select, List<String> columns, Path file, Predicate<byte[]> rows)
      throws SQLException, IOException {
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    try (CopyFile.Writer w = new CopyFile.Writer(file, columns)) {
      CopyOut out = copy.copyOut("COPY (" + select + ") TO STDOUT");
      byte[] row;
      while ((row = out.readFromCopy()) != null) {
        if (rows != null && !rows.test(row)) {
          return false;
        }
        w.row(row);
      }
      return true;
    }
  }

  private static void writeSequences(Connection c, Path file) throws SQLException, IOException {
    try (RowFile.Writer w =
            new RowFile.Writer(file, List.of("sequence", "last_value", "is_called"));
        Statement st = c.createStatement()) {
      for (Table s : relations(c, "S")) {
        try (ResultSet rs =
            st.executeQuery("SELECT last_value::text, is_called::text FROM " + s.qualified())) {
          rs.next();
          w.startRow();
          w.value(s.qualified());
          w.value(rs.getString(1));
          w.value(rs.getString(2));
          w.endRow();
        }
      }
    }
  }

  private static String serverVersion(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW server_version")) {
      rs.next();
      return "PostgreSQL " + rs.getString(1);
    }
  }

  /**
   * Loads {@code dir} into the database, which must be empty (just made or cleared): the schema as
   * the app's role, then every table's rows, then the sequences, then the indexes, constraints and
   * triggers — after the rows, which is both faster and lets rows load in any table order.
   */
  public static void restore(PostgresTarget target, Path dir)
      throws IOException, SQLException, BackupException {
    restore(target, dir, Arrivals.of(dir));
  }

  /**
   * As {@link #restore(PostgresTarget, Path)}, while {@code dir} is still arriving: each table's
   * rows are sent to the server as they arrive, once the schema has arrived whole.
   */
  public static void restore(PostgresTarget target, Path dir, Arrivals files)
      throws IOException, SQLException, BackupException {
    long t0 = System.nanoTime();
    // One connection does it all; its simple query protocol sends each script as one query.
    try (Connection c = target.connect(true)) {
      String prologue = PostgresSchema.prologue(target.role());
      applyScript(c, PostgresSchema.PUBLIC_SCHEMA + prologue, whole(files, dir, SCHEMA));
      long t1 = System.nanoTime();
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        for (String s : SESSION) {
          st.execute(s);
        }
      }
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      Arrivals.Cursor tables = files.under(dir.resolve(DATA));
      for (Path f; (f = tables.next()) != null; ) {
        loadTable(c, copy, f, files);
      }
      loadSequences(c, whole(files, dir, SEQUENCES));
      c.commit();
      c.setAutoCommit(true);
      long t2 = System.nanoTime();
      applyScript(c, prologue, whole(files, dir, CONSTRAINTS));
      log.info(
          "{} restored: schema in {} ms, rows in {} ms, constraints in {} ms",
          target.database(),
          (t1 - t0) / 1_000_000,
          (t2 - t1) / 1_000_000,
          (System.nanoTime() - t2) / 1_000_000);
    }
  }

  /**
   * Runs {@code before} and then the SQL file {@code file} (pg_dump's, made stable) as one query:
   * one transaction, which stops at the first error. The error names the file, and the line and its
   * text when the server says where in the text it is.
   */
  static void applyScript(Connection c, String before, Path file)
      throws IOException, BackupException {
    String sql = Files.readString(file, StandardCharsets.UTF_8);
    try (Statement st = c.createStatement()) {
      st.setEscapeProcessing(false); // the text goes as it is
      st.execute(before + "\n" + sql);
    } catch (SQLException e) {
      ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
      int at = m == null ? -1 : m.getPosition() - before.length() - 2; // 1-based, after the newline
      String message =
          m == null
              ? e.getMessage()
              : m.getSeverity()
                  + ": "
                  + m.getMessage()
                  + (m.getDetail() == null ? "" : " — " + m.getDetail());
      if (at < 0 || at >= sql.length()) {
        throw new BackupException(file.getFileName() + ": " + message, e);
      }
      int start = sql.lastIndexOf('\n', at) + 1;
      int end = sql.indexOf('\n', at);
      String line = sql.substring(start, end < 0 ? sql.length() : end).strip();
      throw new BackupException(
          file.getFileName()
              + " line "
              + lineOf(sql, at)
              + ": "
              + message
              + " ("
              + (line.length() > 200 ? line.substring(0, 200) + "…" : line)
              + ")",
          e);
    }
  }

  /** The 1-based line of {@code text} that character {@code index} is on. */
  static int lineOf(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** File {@code name} of the backup, once it has arrived whole. */
  private static Path whole(Arrivals files, Path dir, String name)
      throws IOException, BackupException {
    Path f = dir.resolve(name);
    if (!files.awaitWhole(f)) {
      throw new BackupException(f + ": missing from the backup");
    }
    return f;
  }

  private static void loadTable(Connection c, CopyManager copy, Path file, Arrivals files)
      throws IOException, SQLException, BackupException {
    String name = file.getFileName().toString();
    String[] parts = name.split("\\.");
    boolean jsonLines = name.endsWith(RowFile.EXTENSION); // format version 1
    if (parts.length != 3 || !(jsonLines || name.endsWith(CopyFile.EXTENSION))) {
      throw new BackupException(file + " is not named SCHEMA.TABLE" + CopyFile.EXTENSION);
    }
    String table =
        PostgresSchema.quoteIdentifier(RowFile.decode(parts[0]))
            + "."
            + PostgresSchema.quoteIdentifier(RowFile.decode(parts[1]));
    // Emptied in this transaction, the table takes its rows frozen: faster to load, and the first
    // reads after the restore need not mark every row as committed.
    try (Statement st = c.createStatement()) {
      st.execute("TRUNCATE ONLY " + table);
    }
    if (jsonLines) {
      files.awaitWhole(file);
      loadJsonLines(copy, table, file);
      return;
    }
    try (InputStream in = new BufferedInputStream(files.open(file), COPY_CHUNK)) {
      String sql = copyFrom(table, CopyFile.readHeader(in, file));
      copy.copyIn(sql, in, COPY_CHUNK);
    }
  }

  private static String copyFrom(String table, List<String> columns) {
    StringBuilder sql = new StringBuilder("COPY ").append(table);
    for (int i = 0; i < columns.size(); i++) {
      sql.append(i == 0 ? " (" : ", ").append(PostgresSchema.quoteIdentifier(columns.get(i)));
    }
    return sql.append(columns.isEmpty() ? "" : ")").append(" FROM STDIN WITH (FREEZE)").toString();
  }

  /** A table's rows from a version 1 file, each JSON line turned back into a COPY row. */
  private static void loadJsonLines(CopyManager copy, String table, Path file)
      throws IOException, SQLException {
    try (RowFile.Reader r = new RowFile.Reader(file)) {
      CopyIn in = copy.copyIn(copyFrom(table, r.columns()));
      try {
        StringBuilder chunk = new StringBuilder(COPY_CHUNK + 1024);
        while (r.nextRow()) {
          List<String> row = r.stringRow();
          for (int i = 0; i < row.size(); i++) {
            if (i > 0) {
              chunk.append('\t');
            }
            CopyText.append(chunk, row.get(i));
          }
          chunk.append('\n');
          if (chunk.length() >= COPY_CHUNK) {
            send(in, chunk);
          }
        }
        send(in, chunk);
        in.endCopy();
      } finally {
        if (in.isActive()) {
          in.cancelCopy();
        }
      }
    }
  }

  private static void send(CopyIn in, StringBuilder chunk) throws SQLException {
    byte[] b = chunk.toString().getBytes(StandardCharsets.UTF_8);
    in.writeToCopy(b, 0, b.length);
    chunk.setLength(0);
  }

  private static void loadSequences(Connection c, Path file) throws IOException, SQLException {
    try (RowFile.Reader r = new RowFile.Reader(file);
        PreparedStatement ps =
            c.prepareStatement("SELECT pg_catalog.setval(?::regclass, ?::bigint, ?::boolean)")) {
      while (r.nextRow()) {
        List<String> row = r.stringRow();
        ps.setString(1, row.get(0));
        ps.setString(2, row.get(1));
        ps.setString(3, row.get(2));
        ps.executeQuery().close();
      }
    }
  }
}
