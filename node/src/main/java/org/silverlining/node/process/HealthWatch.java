package org.silverlining.node.process;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks running processes while they run, not only until they are ready: {@code health} (or,
 * without it, a TCP connect) every {@link #INTERVAL}. A process that fails {@code health_failures}
 * checks in a row is killed, which the supervisor sees as an exit and restarts as after a crash;
 * the restart and its reason are written to the app's log and the node's.
 */
public final class HealthWatch {
  public static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(HealthWatch.class);

  private final Supervisor supervisor;

  public HealthWatch(Supervisor supervisor) {
    this.supervisor = supervisor;
  }

  /** Checks each running process of {@code groups} once. */
  public void checkAll(List<InstanceProcesses> groups) {
    for (InstanceProcesses g : groups) {
      if (g.isStopping()) {
        continue;
      }
      for (AppProcess p : g.processes()) {
        check(g, p);
      }
    }
  }

  private void check(InstanceProcesses g, AppProcess p) {
    Process process = p.process;
    if (p.state != ProcessState.RUNNING || process == null || !process.isAlive()) {
      p.healthFailures = 0;
      return;
    }
    String health = g.config().health();
    if (health.isEmpty()
        ? Supervisor.acceptsConnection(p.port())
        : supervisor.answersHealth(p.port(), health)) {
      p.healthFailures = 0;
      return;
    }
    int limit = g.config().healthFailures();
    if (++p.healthFailures < limit || p.state != ProcessState.RUNNING) {
      return;
    }
    p.healthFailures = 0;
    String what = health.isEmpty() ? "a TCP connect to port " + p.port() : health;
    String line = what + " failed " + limit + " checks in a row: restarting the process";
    log.warn("{}: {}", p.tag(), line);
    supervisor.log(g.app()).write(p.tag(), line);
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
