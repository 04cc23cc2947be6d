package org.silverlining.node.tasks;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteTaskStoreTest extends TaskStoreContract {
  @TempDir Path dir;

  @Override
  TaskStore open() throws Exception {
    return new SqliteTaskStore(dir.resolve("state.db"));
  }
}
