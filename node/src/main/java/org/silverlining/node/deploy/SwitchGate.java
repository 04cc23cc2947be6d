package org.silverlining.node.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import org.silverlining.node.errors.NotFoundException;

/**
 * Where the deployments of a nodeset's update wait, started and checked, until the CLI has heard
 * from every app server: {@link #go} lets one switch, {@link #abandon} makes it fail — which undoes
 * it like any failed deployment, so the old version stays live. A deployment nobody decides about
 * within {@link #MAX_WAIT} (the CLI died) is abandoned.
 */
public final class SwitchGate {
  static final Duration MAX_WAIT = Duration.ofMinutes(10);

  /** How often a held deployment says it is held: the answer stays busy, its connection open. */
  static final Duration HEARTBEAT = Duration.ofSeconds(10);

  private final Map<Long, CompletableFuture<Boolean>> held = new ConcurrentHashMap<>();

  /**
   * How a deployment to one app server of a nodeset differs: it waits for the decision before its
   * switch, telling {@code onHeld} its deployment id (at once, then every {@link #HEARTBEAT}), and
   * with {@code skipFetches} leaves {@code update_fetch} and {@code migrate_fetch} to the nodeset's
   * first app server.
   */
  public record Hold(boolean skipFetches, LongConsumer onHeld) {}

  /** Waits for the decision on deployment {@code id}; true: switch. */
  boolean await(long id, Hold hold) throws DeployFailedException, InterruptedException {
    CompletableFuture<Boolean> decision = new CompletableFuture<>();
    held.put(id, decision);
    long deadline = System.nanoTime() + MAX_WAIT.toNanos();
    try {
      while (true) {
        hold.onHeld().accept(id);
        try {
          return decision.get(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new DeployFailedException(
                "hold",
                "no one said to switch within " + MAX_WAIT.toMinutes() + " minutes",
                List.of());
          }
        } catch (ExecutionException e) {
          throw new IllegalStateException(e); // never completed exceptionally
        }
      }
    } finally {
      held.remove(id);
    }
  }

  /** Lets held deployment {@code id} switch. */
  public void go(long id) {
    decide(id, true);
  }

  /** Makes held deployment {@code id} fail and undo itself. */
  public void abandon(long id) {
    decide(id, false);
  }

  private void decide(long id, boolean go) {
    CompletableFuture<Boolean> decision = held.get(id);
    if (decision == null) {
      throw new NotFoundException("no deployment " + id + " waits to switch on this node");
    }
    decision.complete(go);
  }
}
