package org.silverlining.node.backupformat;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for work a backup or restore runs on another thread, with its failure as its own. */
public final class BackgroundWork {
  private BackgroundWork() {}

  /**
   * The result of {@code task}; its {@link IOException} or {@link BackupException} is thrown as is,
   * anything else as a BackupException saying that {@code what} failed.
   */
  public static <T> T await(Future<T> task, String what) throws IOException, BackupException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackupException("interrupted while waiting for " + what, e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof BackupException b) {
        throw b;
      }
      throw new BackupException(what + " failed: " + c, c);
    }
  }
}
