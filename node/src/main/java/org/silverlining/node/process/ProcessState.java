package org.silverlining.node.process;

/** Where a supervised process is in its life. */
public enum ProcessState {
  STARTING,
  RUNNING,
  /** Exited unexpectedly; a restart is scheduled. */
  BACKOFF,
  /** Exited too often in a row; no more restarts until the next deploy or activation. */
  CRASH_LOOP,
  /** Exited before it ever became ready. */
  FAILED,
  STOPPED
}
