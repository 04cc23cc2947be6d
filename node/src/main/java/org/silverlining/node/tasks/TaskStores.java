package org.silverlining.node.tasks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which store keeps each location's tasks: the node's own store, or, for a location of a nodeset
 * with a Redis ({@link #share}), that Redis, under {@code silver:nodeset:NAME:tasks:APP:}, where
 * every app server of the nodeset enqueues and claims them. The store a location leaves keeps being
 * drained ({@link #all}): an attempt under way when it left may queue its task there again, or make
 * it dead there.
 */
public final class TaskStores implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskStores.class);

  /** How many queued tasks one claim of a {@link #move} takes. */
  private static final int MOVE_BATCH = 100;

  /** Opens the task store in the Redis at {@code url}, its keys under {@code prefix}. */
  public interface RedisOpener {
    TaskStore open(String url, String prefix) throws IOException;
  }

  private final TaskStore own;
  private final RedisOpener redis;
  private final Map<String, TaskStore> byLocation = new ConcurrentHashMap<>();

  /** The Redis stores opened, by URL and key prefix. */
  private final Map<String, TaskStore> opened = new ConcurrentHashMap<>();

  /** A {@link #share} that failed, by location, for {@link #retryShares}. */
  private record Share(String nodeset, String app, String url) {}

  private final Map<String, Share> failed = new ConcurrentHashMap<>();

  /** Only {@code own}: what a node outside any nodeset has. */
  public TaskStores(TaskStore own) {
    this(
        own,
        (url, prefix) -> {
          throw new IOException("this node cannot keep tasks in a nodeset's Redis");
        });
  }

  public TaskStores(TaskStore own, RedisOpener redis) {
    this.own = own;
    this.redis = redis;
  }

  /** The keys of the tasks of {@code app} on the nodeset {@code nodeset}. */
  static String prefix(String nodeset, String app) {
    return "silver:nodeset:" + nodeset + ":tasks:" + app + ":";
  }

  /** The store that keeps {@code location}'s tasks. */
  public TaskStore of(String location) {
    return byLocation.getOrDefault(location, own);
  }

  /** Every store: the node's own first. */
  public List<TaskStore> all() {
    Set<TaskStore> all = new LinkedHashSet<>();
    all.add(own);
    all.addAll(opened.values());
    return new ArrayList<>(all);
  }

  /**
   * Keeps the tasks of {@code location} (where {@code app} is) in the Redis at {@code url} of the
   * nodeset {@code nodeset} from now on, and moves there those queued or dead in the store that
   * kept them until now. Returns how many moved.
   *
   * @throws IOException when that Redis cannot be used: the location stays where it was until
   *     {@link #retryShares} succeeds
   */
  public synchronized int share(String nodeset, String app, String location, String url)
      throws Exception {
    try {
      int moved = switchTo(nodeset, app, location, url);
      failed.remove(location);
      return moved;
    } catch (Exception e) {
      failed.put(location, new Share(nodeset, app, url));
      throw e;
    }
  }

  /**
   * Tries again each {@link #share} that failed; one that fails again is tried at the next call.
   * Whether one succeeded.
   */
  public boolean retryShares() {
    boolean any = false;
    for (var e : failed.entrySet()) {
      Share s = e.getValue();
      try {
        share(s.nodeset(), s.app(), e.getKey(), s.url());
        log.info("the tasks of {} are kept in the nodeset {}'s Redis now", e.getKey(), s.nodeset());
        any = true;
      } catch (Exception x) {
        // still out of reach: the next call tries again
      }
    }
    return any;
  }

  private int switchTo(String nodeset, String app, String location, String url) throws Exception {
    String key = url + "\n" + prefix(nodeset, app);
    TaskStore to = opened.get(key);
    if (to == null) {
      to = redis.open(url, prefix(nodeset, app));
      opened.put(key, to);
    }
    TaskStore from = of(location);
    if (from == to) {
      return 0;
    }
    byLocation.put(location, to); // first: enqueues from now on go there, not behind the move
    int moved;
    try {
      moved = move(from, to, location);
    } catch (Exception e) {
      byLocation.put(location, from); // what moved already is drained from there all the same
      throw e;
    }
    if (moved > 0) {
      log.info("moved {} task(s) of {} to the nodeset {}'s Redis", moved, location, nodeset);
    }
    return moved;
  }

  /**
   * Moves the queued and dead tasks of {@code location} from {@code from} to {@code to}, as they
   * are ({@link TaskStore#adopt}): each is stored in {@code to} before it is removed from {@code
   * from}, so a stop in between leaves it in both (it is moved again, and may run twice: delivery
   * stays at least once). A named task whose name {@code to} already remembers is there already.
   */
  static int move(TaskStore from, TaskStore to, String location) throws Exception {
    int moved = 0;
    for (Task t : from.failures(location, Integer.MAX_VALUE)) {
      if (TaskStore.DEAD.equals(t.state())) {
        moveOne(from, to, t);
        moved++;
      }
    }
    for (String[] lq : from.dueQueues(Long.MAX_VALUE)) {
      if (!lq[0].equals(location)) {
        continue;
      }
      List<Task> batch;
      while (!(batch = from.claim(location, lq[1], Long.MAX_VALUE, MOVE_BATCH)).isEmpty()) {
        for (int i = 0; i < batch.size(); i++) {
          try {
            moveOne(from, to, batch.get(i));
          } catch (Exception e) {
            for (Task t : batch.subList(i, batch.size())) { // claimed: queued again, as they were
              from.retryLater(
                  t.id(), t.retries(), t.firstAttemptMillis(), t.etaMillis(), t.lastResult());
            }
            throw e;
          }
          moved++;
        }
      }
    }
    return moved;
  }

  private static void moveOne(TaskStore from, TaskStore to, Task t) throws Exception {
    try {
      to.adopt(TaskStore.RUNNING.equals(t.state()) ? t.withState(TaskStore.QUEUED) : t);
    } catch (TaskStore.DuplicateTaskException e) {
      // moved before a stop, or enqueued on another app server under the same name
    }
    from.remove(t.id());
  }

  /**
   * The stores that may hold tasks of {@code location}: the one that keeps them, then those it may
   * have left some in.
   */
  private List<TaskStore> holding(String location) {
    List<TaskStore> l = all();
    l.remove(of(location));
    l.add(0, of(location));
    return l;
  }

  /** Counts by queue, then by state, of {@code location}'s tasks in every store. */
  public Map<String, Map<String, Integer>> counts(String location) throws Exception {
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    for (TaskStore s : holding(location)) {
      for (var q : s.counts(location).entrySet()) {
        Map<String, Integer> c = out.computeIfAbsent(q.getKey(), k -> new TreeMap<>());
        q.getValue().forEach((state, n) -> c.merge(state, n, Integer::sum));
      }
    }
    return out;
  }

  /** {@link TaskStore#failures} of {@code location}: its store's first. */
  public List<Task> failures(String location, int limit) throws Exception {
    List<Task> out = new ArrayList<>();
    for (TaskStore s : holding(location)) {
      out.addAll(s.failures(location, limit - out.size()));
      if (out.size() >= limit) {
        break;
      }
    }
    return out;
  }

  /** {@link TaskStore#revive} in the first store that has dead task {@code id} there. */
  public boolean revive(String location, long id, long nowMillis) throws Exception {
    for (TaskStore s : holding(location)) {
      if (s.revive(location, id, nowMillis)) {
        return true;
      }
    }
    return false;
  }

  /** {@link TaskStore#purge} in every store. */
  public int purge(String location, String queue, long nowMillis) throws Exception {
    int n = 0;
    for (TaskStore s : holding(location)) {
      n += s.purge(location, queue, nowMillis);
    }
    return n;
  }

  @Override
  public void close() throws Exception {
    Exception failed = null;
    for (TaskStore s : all()) {
      try {
        s.close();
      } catch (Exception e) {
        failed = failed == null ? e : failed; // the others are closed all the same
      }
    }
    if (failed != null) {
      throw failed;
    }
  }
}
