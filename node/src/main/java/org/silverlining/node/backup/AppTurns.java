package org.silverlining.node.backup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** The one turn at a time each app has to back up or restore (or end a restore's checkpoint). */
final class AppTurns {
  private final Map<String, Semaphore> turns = new ConcurrentHashMap<>();

  /** The app's turn, once the one before has ended. */
  Turn take(String app) {
    Semaphore s = semaphore(app);
    s.acquireUninterruptibly();
    return new Turn(s);
  }

  /** The app's turn when nothing holds it; empty when something does. */
  java.util.Optional<Turn> tryTake(String app) {
    Semaphore s = semaphore(app);
    return s.tryAcquire() ? java.util.Optional.of(new Turn(s)) : java.util.Optional.empty();
  }

  private Semaphore semaphore(String app) {
    return turns.computeIfAbsent(app, a -> new Semaphore(1));
  }

  /**
   * An app's turn: closed by the thread that took it, or {@linkplain #handOn handed on} to another
   * that closes it.
   */
  static final class Turn implements AutoCloseable {
    private final Semaphore semaphore;
    private boolean over;

    private Turn(Semaphore semaphore) {
      this.semaphore = semaphore;
    }

    /** The turn, for another thread to close; closing this one does nothing any more. */
    Turn handOn() {
      over = true;
      return new Turn(semaphore);
    }

    @Override
    public void close() {
      if (!over) {
        over = true;
        semaphore.release();
      }
    }
  }
}
