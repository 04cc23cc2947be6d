package org.silverlining.node.backupformat;

/** A backup cannot be written, read or restored; the message says why and what to do. */
public final class BackupException extends Exception {
  private static final long serialVersionUID = 1L;

  public BackupException(String message) {
    super(message);
  }

  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
