package org.silverlining.node.tasks;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract with the node's default sync, once a second. */
class SqliteTaskStoreEverysecTest extends TaskStoreContract {
  @TempDir Path dir;

  @Override
  TaskStore open() throws Exception {
    return new SqliteTaskStore(dir.resolve("state.db"), SqliteTaskStore.Sync.EVERYSEC);
  }
}
