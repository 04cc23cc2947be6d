package org.silverlining.node.backupformat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The pg_dump command that dumps a PostgreSQL schema (run by {@link ProcessRunner}), the filter
 * that makes its output stable, and the statements a restore runs before applying it.
 */
final class PostgresSchema {
  /** What pg_dump writes that changes from run to run or from version to version. */
  private static final Pattern VOLATILE =
      Pattern.compile(
          "\\\\(un)?restrict .*"
              + "|-- Dumped (from|by) .*"
              + "|-- PostgreSQL database dump( complete)?"
              + "|SET [a-z_]+ = .*;"
              + "|SELECT pg_catalog\\.set_config\\('search_path', '', false\\);"
              + "|COMMENT ON EXTENSION .*;");

  /**
   * The settings a restore applies before schema.sql and constraints.sql, in place of the ones
   * stripped from pg_dump's output. Objects are made as the app's role, so that the app owns them.
   * The indexes built after the rows get more memory to sort in than the server's default, for this
   * session only (a primary key on 1,000,000 rows builds a fifth faster).
   */
  /**
   * Gives the schema {@code public} the owner, privileges and comment {@code initdb} gives it,
   * which pg_dump leaves out of a dump; a new database has its own {@code public}, and without this
   * a restored database would not dump the same as its source. Run as the admin, before {@link
   * #prologue}.
   */
  static final String PUBLIC_SCHEMA =
      "ALTER SCHEMA public OWNER TO pg_database_owner;"
          + " GRANT USAGE ON SCHEMA public TO PUBLIC;"
          + " COMMENT ON SCHEMA public IS 'standard public schema';";

  static String prologue(String role) {
    return "SET client_encoding = 'UTF8';"
        + " SET standard_conforming_strings = on;"
        + " SELECT pg_catalog.set_config('search_path', '', false);"
        + " SET check_function_bodies = false;"
        + " SET xmloption = content;"
        + " SET client_min_messages = warning;"
        + " SET row_security = off;"
        + " SET default_tablespace = '';"
        + " SET maintenance_work_mem = '256MB';"
        + " SET ROLE "
        + quoteIdentifier(role)
        + ";";
  }

  private PostgresSchema() {}

  /** {@code pg_dump} of one section ({@code pre-data} or {@code post-data}) of the schema. */
  static List<String> dumpCommand(PostgresTarget t, String section) {
    return List.of(
        "pg_dump",
        "--schema-only",
        "--no-owner",
        "--no-privileges",
        "--no-publications",
        "--no-subscriptions",
        "--section=" + section,
        "--host=" + t.host(),
        "--port=" + t.port(),
        "--username=" + t.adminUser(),
        "--no-password",
        "--dbname=" + t.database());
  }

  /**
   * pg_dump's text without what varies between runs and versions: the header, {@code \restrict}
   * keys, version comments and the session {@code SET}s (only between statements, never inside
   * one), then runs of blank lines as one.
   */
  static List<String> stable(List<String> lines) {
    List<String> out = new ArrayList<>();
    boolean between = true;
    for (String line : lines) {
      boolean blank = line.isBlank();
      boolean comment = line.startsWith("--");
      if (between && !blank && VOLATILE.matcher(line).matches()) {
        continue;
      }
      if (blank && (out.isEmpty() || out.get(out.size() - 1).isBlank())) {
        continue;
      }
      if (comment && line.equals("--") && !out.isEmpty() && out.get(out.size() - 1).equals("--")) {
        out.remove(out.size() - 1);
        continue;
      }
      out.add(line);
      if (!blank && !comment) {
        between = line.endsWith(";");
      }
    }
    while (!out.isEmpty()
        && (out.get(out.size() - 1).isBlank() || out.get(out.size() - 1).equals("--"))) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  static String quoteIdentifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
