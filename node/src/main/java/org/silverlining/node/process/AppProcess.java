package org.silverlining.node.process;

/** One supervised OS process of an instance, on its own private port. */
public final class AppProcess {
  private final InstanceProcesses owner;
  private final int index;
  private final int port;
  volatile Process process;

  /** Copies the process's output to the log; done once the process's output is closed. */
  volatile Thread pump;

  volatile ProcessState state = ProcessState.STARTING;
  volatile int restarts;
  int consecutiveCrashes;

  /** Failed health checks in a row while running (see {@link HealthWatch}). */
  volatile int healthFailures;

  long startedAtNanos;

  AppProcess(InstanceProcesses owner, int index, int port) {
    this.owner = owner;
    this.index = index;
    this.port = port;
  }

  public InstanceProcesses owner() {
    return owner;
  }

  public int index() {
    return index;
  }

  public int port() {
    return port;
  }

  public ProcessState state() {
    return state;
  }

  public int restarts() {
    return restarts;
  }

  /** The OS process id, or -1 when none runs. */
  public long pid() {
    Process p = process;
    return p != null && p.isAlive() ? p.pid() : -1;
  }

  /** The tag of this process in the app's log: {@code APP.YYYYMMDD_NNN#1}. */
  public String tag() {
    return owner.instance() + "#" + (index + 1);
  }
}
