package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pg_dump and psql command lines, and the filter that makes pg_dump's output stable. */
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
  void psqlAppliesAFileAsTheAppsRoleInOneTransactionStoppingAtTheFirstError() {
    List<String> cmd = PostgresSchema.applyCommand(TARGET, "/b/postgresql/schema.sql");
    assertThat(cmd)
        .startsWith(
            "psql", "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1")
        .endsWith("--file=/b/postgresql/schema.sql");
    assertThat(cmd.get(cmd.size() - 2)).startsWith("--command=").endsWith("SET ROLE \"my_app\";");
    assertThat(String.join(" ", cmd)).doesNotContain("s3cret");
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
