package org.silverlining.node.backupformat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pg_dump command line, the filter that makes its output stable, and the restore's scripts. */
class PostgresSchemaTest {
  private static final PostgresTarget TARGET =
      new PostgresTarget("db.example", 5433, "admin", "s3cret", "my_app", "my_app");

  @Test
  void pgDumpIsAskedForOneSectionOfTheSchemaWithoutOwnersOrPrivileges() {
    assertThat(PostgresSchema.dumpCommand(TARGET, "pre-data"))
        .containsExactly(
            "pg_dump",
            "--schema-only",
            "--no-owner",
            "--no-privileges",
            "--no-publications",
            "--no-subscriptions",
            "--section=pre-data",
            "--host=db.example",
            "--port=5433",
            "--username=admin",
            "--no-password",
            "--dbname=my_app");
    assertThat(TARGET.environment()).containsEntry("PGPASSWORD", "s3cret");
  }

  @Test
  void theScriptsRunAsTheAppsRoleAfterPublicIsMadeAsInitdbMakesIt() {
    assertThat(PostgresSchema.PUBLIC_SCHEMA)
        .contains("ALTER SCHEMA public OWNER TO pg_database_owner;")
        .contains("COMMENT ON SCHEMA public IS 'standard public schema';");
    assertThat(PostgresSchema.prologue("my_app"))
        .contains("SELECT pg_catalog.set_config('search_path', '', false);")
        .endsWith("SET ROLE \"my_app\";");
  }

  @Test
  void anErrorsLineIsCountedFromTheStartOfTheFile() {
    String sql = "CREATE TABLE a (n int);\n\nCREATE TABLE b (n nope);\n";
    assertThat(PostgresBackup.lineOf(sql, 0)).isEqualTo(1);
    assertThat(PostgresBackup.lineOf(sql, sql.indexOf("nope"))).isEqualTo(3);
  }

  @Test
  void theHeaderVersionsRestrictKeysAndSessionSetsAreStripped() {
    List<String> dump =
        List.of(
            "--",
            "-- PostgreSQL database dump",
            "--",
            "",
            "\\restrict abc123",
            "",
            "-- Dumped from database version 15.20",
            "-- Dumped by pg_dump version 15.20",
            "",
            "SET statement_timeout = 0;",
            "SELECT pg_catalog.set_config('search_path', '', false);",
            "",
            "SET default_tablespace = '';",
            "",
            "--",
            "-- Name: hstore; Type: EXTENSION; Schema: -; Owner: -",
            "--",
            "",
            "COMMENT ON EXTENSION hstore IS 'data type for storing sets of (key, value) pairs';",
            "",
            "CREATE FUNCTION public.f() RETURNS void",
            "    LANGUAGE plpgsql",
            "    AS $$",
            "BEGIN",
            "SET x = 1;",
            "END $$;",
            "",
            "",
            "--",
            "-- PostgreSQL database dump complete",
            "--",
            "",
            "\\unrestrict abc123",
            "");
    assertThat(PostgresSchema.stable(dump))
        .containsExactly(
            "--",
            "-- Name: hstore; Type: EXTENSION; Schema: -; Owner: -",
            "--",
            "",
            "CREATE FUNCTION public.f() RETURNS void",
            "    LANGUAGE plpgsql",
            "    AS $$",
            "BEGIN",
            "SET x = 1;",
            "END $$;");
  }
}
