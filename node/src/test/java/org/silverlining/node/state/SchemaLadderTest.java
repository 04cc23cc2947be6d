package org.silverlining.node.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaLadderTest {
  @TempDir Path dir;

  private final SchemaLadder ladder =
      new SchemaLadder(
          List.of(
              db -> db.execute("CREATE TABLE IF NOT EXISTS notes (text TEXT NOT NULL)"),
              db -> db.execute("ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT ''")));

  @Test
  void aNewFileIsBroughtToTheNewestVersionWithoutACopy() throws SQLException {
    Path file = dir.resolve("state.db");
    try (SqliteDatabase db = new SqliteDatabase(file)) {
      assertThat(ladder.migrate(db, file)).isZero();
      assertThat(SchemaLadder.version(db)).isEqualTo(2);
      db.update("INSERT INTO notes(text, author) VALUES ('hi', 'ann')");
    }
    assertThat(dir.resolve("state.db.before-2")).doesNotExist();
  }

  @Test
  void anUnversionedFileIsCopiedBeforeTheFirstStepAndKeepsItsRows() throws SQLException {
    Path file = dir.resolve("state.db");
    try (SqliteDatabase old = new SqliteDatabase(file)) {
      old.execute("CREATE TABLE notes (text TEXT NOT NULL)");
      old.update("INSERT INTO notes(text) VALUES ('kept')");
    }

    try (SqliteDatabase db = new SqliteDatabase(file)) {
      assertThat(ladder.migrate(db, file)).isZero();
      assertThat(SchemaLadder.version(db)).isEqualTo(2);
      assertThat(rows(db, "SELECT text || '/' || author FROM notes")).containsExactly("kept/");
    }
    Path copy = dir.resolve("state.db.before-2");
    try (SqliteDatabase before = new SqliteDatabase(copy)) {
      assertThat(SchemaLadder.version(before)).isZero();
      assertThat(rows(before, "SELECT text FROM notes")).containsExactly("kept");
    }
  }

  @Test
  void aFileAtTheNewestVersionIsLeftAsItIs() throws SQLException {
    Path file = dir.resolve("state.db");
    try (SqliteDatabase db = new SqliteDatabase(file)) {
      ladder.migrate(db, file);
    }
    try (SqliteDatabase db = new SqliteDatabase(file)) {
      assertThat(ladder.migrate(db, file)).isEqualTo(2);
    }
    assertThat(dir.resolve("state.db.before-2")).doesNotExist();
  }

  @Test
  void aStepThatFailsLeavesTheFileAtTheVersionBefore() throws SQLException {
    Path file = dir.resolve("state.db");
    SchemaLadder broken =
        new SchemaLadder(
            List.of(
                db -> db.execute("CREATE TABLE notes (text TEXT NOT NULL)"),
                db -> {
                  db.execute("CREATE TABLE half (x INTEGER)");
                  db.execute("THIS IS NOT SQL");
                }));
    try (SqliteDatabase db = new SqliteDatabase(file)) {
      assertThatThrownBy(() -> broken.migrate(db, file)).isInstanceOf(SQLException.class);
      assertThat(SchemaLadder.version(db)).isEqualTo(1);
      assertThat(rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'"))
          .containsExactly("notes");
    }
  }

  @Test
  void aFileNewerThanTheLadderIsRefusedNamingBothVersions() throws SQLException {
    Path file = dir.resolve("state.db");
    try (SqliteDatabase db = new SqliteDatabase(file)) {
      db.execute("PRAGMA user_version = 9999");
    }
    try (SqliteDatabase db = new SqliteDatabase(file)) {
      assertThatThrownBy(() -> ladder.migrate(db, file))
          .isInstanceOf(NewerFormatException.class)
          .hasMessageContaining("9999")
          .hasMessageContaining("up to 2")
          .hasMessageContaining(file.toString());
      assertThat(SchemaLadder.version(db)).isEqualTo(9999);
    }
    assertThat(Files.exists(dir.resolve("state.db.before-2"))).isFalse();
  }

  @Test
  void theStateSchemaTakesOverAFileOfRelease01AndTheStoresOpenIt() throws Exception {
    Path file = dir.resolve("state.db");
    try (SqliteDatabase old = new SqliteDatabase(file)) {
      // as release 0.1 wrote it: tables made by CREATE TABLE IF NOT EXISTS, no user_version
      old.execute("CREATE TABLE apps (name TEXT PRIMARY KEY, disabled INTEGER NOT NULL DEFAULT 0)");
      old.update("INSERT INTO apps(name) VALUES ('keep')");
    }
    try (StateStore s = new StateStore(file);
        org.silverlining.node.tasks.SqliteTaskStore tasks =
            new org.silverlining.node.tasks.SqliteTaskStore(file)) {
      assertThat(s.apps()).containsExactly("keep");
      assertThat(tasks.dueQueues(System.currentTimeMillis())).isEmpty();
    }
    try (SqliteDatabase db = new SqliteDatabase(file)) {
      assertThat(SchemaLadder.version(db)).isEqualTo(StateSchema.LADDER.latest());
    }
    assertThat(dir.resolve("state.db.before-" + StateSchema.LADDER.latest())).exists();
  }

  private static List<String> rows(SqliteDatabase db, String sql) throws SQLException {
    List<String> out = new java.util.ArrayList<>();
    try (ResultSet rs = db.query(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
