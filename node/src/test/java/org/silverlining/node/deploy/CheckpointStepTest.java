package org.silverlining.node.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;
import org.silverlining.node.backupformat.BackupException;

class CheckpointStepTest {
  @Test
  void aFullDiskOrAFileInTheWayIsTheDisksProblem() {
    assertThat(
            CheckpointStep.isDiskProblem(
                new BackupException(
                    "cannot back up 'app'", new IOException("No space left on device"))))
        .isTrue();
    assertThat(CheckpointStep.isDiskProblem(new NotDirectoryException("/node/apps/a/checkpoints")))
        .isTrue();
  }

  @Test
  void aServiceRefusingItsDumpIsNot() {
    assertThat(
            CheckpointStep.isDiskProblem(
                new BackupException(
                    "PostgreSQL at 127.0.0.1:5433: cannot back up 'app': pg_dump failed (exit 1):"
                        + " aborting because of server version mismatch")))
        .isFalse();
  }
}
