package org.silverlining.node.process;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.silverlining.core.AppConfig;

/**
 * The running processes of one instance, with what the front needs to balance over them: a
 * round-robin choice among ready processes and a count of requests in flight (for draining).
 */
public final class InstanceProcesses {
  private static final int TAIL_LINES = 50;

  private final String instance;
  private final Path dir;
  private final AppConfig config;
  private final AppEnvironment.Facts facts;
  private final List<AppProcess> processes = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Deque<String> tail = new ArrayDeque<>();
  private volatile boolean stopping;

  InstanceProcesses(String instance, Path dir, AppConfig config, AppEnvironment.Facts facts) {
    this.instance = instance;
    this.dir = dir;
    this.config = config;
    this.facts = facts;
  }

  void add(AppProcess p) {
    processes.add(p);
  }

  public String instance() {
    return instance;
  }

  public String app() {
    return config.appName();
  }

  public Path dir() {
    return dir;
  }

  public AppConfig config() {
    return config;
  }

  AppEnvironment.Facts facts() {
    return facts;
  }

  public List<AppProcess> processes() {
    return Collections.unmodifiableList(processes);
  }

  public boolean isStopping() {
    return stopping;
  }

  void markStopping() {
    stopping = true;
  }

  /**
   * The port of the next process to send a request to: round robin over running processes, or any
   * process while none is (the request then waits on the connect, or fails fast), or -1 for none.
   */
  public int pickPort() {
    int n = processes.size();
    if (n == 0) {
      return -1;
    }
    int start = Math.floorMod(next.getAndIncrement(), n);
    for (int i = 0; i < n; i++) {
      AppProcess p = processes.get((start + i) % n);
      if (p.state == ProcessState.RUNNING) {
        return p.port();
      }
    }
    return processes.get(start).port();
  }

  /** Whether a running process of the instance listens on {@code port}. */
  public boolean isRunningOn(int port) {
    for (AppProcess p : processes) {
      if (p.port() == port && p.state == ProcessState.RUNNING) {
        return true;
      }
    }
    return false;
  }

  /** Counts a request that is being proxied; pair with {@link #release()}. */
  public void acquire() {
    inFlight.incrementAndGet();
  }

  public void release() {
    inFlight.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }

  synchronized void remember(String line) {
    if (tail.size() == TAIL_LINES) {
      tail.removeFirst();
    }
    tail.addLast(line);
  }

  /** The last {@code n} lines its processes printed. */
  public synchronized List<String> tail(int n) {
    List<String> all = new ArrayList<>(tail);
    return all.subList(Math.max(0, all.size() - n), all.size());
  }
}
