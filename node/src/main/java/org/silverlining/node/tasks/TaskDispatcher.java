package org.silverlining.node.tasks;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.logs.StreamLogs;
import org.silverlining.node.process.DaemonThreads;
import org.silverlining.node.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the stored tasks of every location, following each queue's settings. One thread looks
 * for due tasks whenever it is woken (an enqueue it could not start at once, a failed attempt, a
 * freed slot of a queue with tasks waiting for one) and at least every {@link #POLL}; for each
 * queue with due tasks it takes as many as the queue's token bucket ({@code rate}, {@code
 * bucket_size}) and {@code max_concurrent} allow, marks them running in the store and hands each to
 * a worker, which makes the attempt through a {@link TaskDelivery}. A 2xx answer finishes the task;
 * anything else, or no answer, counts as a failure: the task is queued again after {@link
 * QueueSettings#backoff}, or becomes dead once {@link QueueSettings#exhausted}. Outcomes are
 * recorded in batches by that thread, at its next pass: a successful attempt does not wake it, so a
 * busy queue costs one pass per {@link #POLL} rather than one per task. Finished tasks, and so
 * their names, are remembered for {@link #REMEMBER_NAMES}.
 *
 * <p>Tasks of a queue the app no longer declares are delivered with the default settings. Each
 * location's tasks are in the store {@link TaskStores#of} names; every store is drained.
 */
public final class TaskDispatcher implements AutoCloseable {
  static final Duration POLL = Duration.ofMillis(100);
  static final Duration REMEMBER_NAMES = Duration.ofDays(7);
  static final Duration FORGET_EVERY = Duration.ofHours(1);

  /** How often a location's move to its nodeset's Redis that failed is tried again. */
  static final Duration RETRY_SHARES_EVERY = Duration.ofSeconds(30);

  /** The most tasks one queue starts in one pass. */
  static final int MAX_CLAIM = 100;

  private static final Logger log = LoggerFactory.getLogger(TaskDispatcher.class);

  private final TaskStores stores;
  private final TaskDelivery delivery;
  private final StreamLogs streamLogs;

  /** The app at each location with queues, for its {@code tasks.log}. */
  private final Map<String, String> appAt = new ConcurrentHashMap<>();

  /** The live instance at each location with queues, for error reports of dead tasks. */
  private final Map<String, String> instanceAt = new ConcurrentHashMap<>();

  /** Hears of each finished delivery attempt (for metrics and error reports). */
  public interface AttemptListener {
    /**
     * {@code outcome} is {@code done}, {@code retry} or {@code dead}; {@code detail} says which
     * task it was and how its last attempt went. {@code app} and {@code instance} may be null for a
     * location no live instance serves.
     */
    void finished(String app, String instance, String queue, String outcome, String detail);
  }

  private volatile AttemptListener attemptListener = (app, instance, queue, outcome, detail) -> {};

  private final ExecutorService workers =
      Executors.newCachedThreadPool(DaemonThreads.named("task"));
  private final Thread loop = DaemonThreads.named("tasks").newThread(this::loop);
  private final Object wake = new Object();
  private final Map<String, QueueTable> tables = new ConcurrentHashMap<>();
  private final Map<String, QueueState> queues = new ConcurrentHashMap<>();

  /** An attempt's outcome, to record in the store its task came from. */
  private record Finished(TaskStore store, TaskStore.Outcome outcome) {}

  /** Outcomes of attempts not yet recorded: the loop records them together before each pass. */
  private final Queue<Finished> outcomes = new ConcurrentLinkedQueue<>();

  private boolean woken;
  private volatile boolean closed;
  private long lastForget;
  private long lastShareRetry = System.currentTimeMillis();
  private final AtomicBoolean retryingShares = new AtomicBoolean();

  /** A queue's settings, token bucket and attempts under way. */
  private static final class QueueState {
    final QueueSettings settings;
    final TokenBucket bucket;
    final AtomicInteger running = new AtomicInteger();

    /**
     * Whether due tasks may be waiting for a slot or a token: then a finished attempt wakes the
     * dispatcher, since its slot can start one of them.
     */
    volatile boolean backlog;

    QueueState(QueueSettings settings) {
      this.settings = settings;
      this.bucket = new TokenBucket(settings.rate(), settings.bucketSize(), System::nanoTime);
    }
  }

  public TaskDispatcher(TaskStore store, TaskDelivery delivery) {
    this(new TaskStores(store), delivery, StreamLogs.NONE);
  }

  /** {@code streamLogs}: where each attempt's outcome goes (the app's {@code tasks.log}). */
  public TaskDispatcher(TaskStores stores, TaskDelivery delivery, StreamLogs streamLogs) {
    this.stores = stores;
    this.delivery = delivery;
    this.streamLogs = streamLogs;
  }

  public void start() {
    loop.start();
  }

  /** Takes the queues of each location (what its live instance declares). */
  public void setQueues(Map<String, QueueTable> byLocation) {
    tables.keySet().retainAll(byLocation.keySet());
    tables.putAll(byLocation);
    wake();
  }

  /** Reads the queues of the instances now live at {@code locations}. */
  public void refresh(NodeLayout layout, List<StateStore.LocationRecord> locations) {
    Map<String, QueueTable> byLocation = new HashMap<>();
    for (StateStore.LocationRecord l : locations) {
      if (l.active() == null) {
        continue;
      }
      appAt.put(l.location(), l.app());
      instanceAt.put(l.location(), l.active());
      try {
        byLocation.put(
            l.location(),
            QueueTable.load(layout.instanceDir(l.app(), l.active()).resolve("app.ini")));
      } catch (IOException | RuntimeException e) {
        log.warn("cannot read the [queue:*] sections of {}: {}", l.active(), e.getMessage());
      }
    }
    setQueues(byLocation);
  }

  /** Tells {@code listener} of every delivery attempt that finishes from now on. */
  public void onAttempt(AttemptListener listener) {
    this.attemptListener = listener;
  }

  /** The settings queue {@code queue} of {@code location} is delivered with. */
  public QueueSettings settings(String location, String queue) {
    QueueTable t = tables.get(location);
    return (t == null ? Optional.<QueueSettings>empty() : t.queue(queue))
        .orElseGet(() -> QueueSettings.defaults(queue));
  }

  /** Makes the dispatcher look for due tasks now. */
  public void wake() {
    synchronized (wake) {
      woken = true;
      wake.notifyAll();
    }
  }

  private void loop() {
    while (!closed) {
      try {
        pass(System.currentTimeMillis());
      } catch (Exception e) {
        if (!closed) {
          log.warn("task dispatch: {}", e.toString());
        }
      }
      synchronized (wake) {
        try {
          if (!woken) {
            wake.wait(POLL.toMillis());
          }
        } catch (InterruptedException e) {
          return;
        }
        woken = false;
      }
    }
  }

  /**
   * Stores a task an app enqueued. When it is due now and its queue has a free slot and a token, it
   * is claimed in the same step and attempted at once (stores that cannot claim on enqueue leave it
   * to the next pass); otherwise the next pass finds it. Either way it may overtake older due tasks
   * that a pass has not reached yet: order within a queue is by ETA only roughly.
   */
  public Task enqueue(Task.New task) throws Exception {
    return enqueue(task, Runnable::run);
  }

  /**
   * {@link #enqueue(Task.New)}, but the start of an attempt made at once is handed to {@code
   * starter} instead of run: the tasks API runs it once its answer is written, so that the attempt
   * does not compete with the answer for the CPU. The caller must run what it is given, even when
   * its answer fails, or the task waits for the node's next start.
   */
  public Task enqueue(Task.New task, Consumer<Runnable> starter) throws Exception {
    QueueState q = state(task.location(), task.queue());
    boolean claim = task.etaMillis() <= System.currentTimeMillis() && reserve(q, 1) == 1;
    if (claim && !q.bucket.tryTake()) {
      q.running.decrementAndGet();
      claim = false;
    }
    TaskStore store = stores.of(task.location());
    Task t;
    try {
      t = store.enqueue(task, claim);
    } catch (Exception e) {
      if (claim) {
        q.running.decrementAndGet();
        q.bucket.giveBack();
      }
      throw e;
    }
    if (TaskStore.RUNNING.equals(t.state())) {
      starter.accept(() -> workers.execute(() -> attempt(store, q, t)));
    } else {
      if (claim) {
        q.running.decrementAndGet();
        q.bucket.giveBack();
      }
      q.backlog = true;
      wake();
    }
    return t;
  }

  /** Takes up to {@code wanted} of the queue's free slots ({@code max_concurrent}); how many. */
  private static int reserve(QueueState q, int wanted) {
    int cap = q.settings.maxConcurrent();
    while (true) {
      int now = q.running.get();
      int n = cap == 0 ? wanted : Math.min(wanted, cap - now);
      if (n <= 0) {
        return 0;
      }
      if (q.running.compareAndSet(now, now + n)) {
        return n;
      }
    }
  }

  private void pass(long now) throws Exception {
    recordOutcomes();
    Set<QueueState> waiting = new HashSet<>();
    Exception failed = null;
    for (TaskStore store : stores.all()) {
      try {
        claimDue(store, now, waiting);
      } catch (Exception e) {
        failed = failed == null ? e : failed; // the other stores are drained all the same
      }
    }
    for (QueueState q : queues.values()) {
      if (waiting.contains(q)) {
        q.backlog = true;
      } else if (q.backlog) {
        q.backlog = false; // an enqueue that sets it again also wakes the loop again
      }
    }
    delivery.closeIdle();
    if (now - lastShareRetry > RETRY_SHARES_EVERY.toMillis()) {
      lastShareRetry = now;
      retryShares();
    }
    if (now - lastForget > FORGET_EVERY.toMillis()) {
      lastForget = now;
      for (TaskStore store : stores.all()) {
        int n = store.forget(now - REMEMBER_NAMES.toMillis());
        if (n > 0) {
          log.info("forgot {} finished task(s) in {}", n, store);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /** Tries again the moves to a nodeset's Redis that failed, off this thread (Redis may hang). */
  private void retryShares() {
    if (retryingShares.compareAndSet(false, true)) {
      workers.execute(
          () -> {
            try {
              if (stores.retryShares()) {
                wake();
              }
            } finally {
              retryingShares.set(false);
            }
          });
    }
  }

  /** Starts the due tasks of {@code store} that the queues' slots and tokens allow. */
  private void claimDue(TaskStore store, long now, Set<QueueState> waiting) throws Exception {
    for (String[] lq : store.dueQueues(now)) {
      QueueState q = state(lq[0], lq[1]);
      int slots = reserve(q, MAX_CLAIM);
      int tokens = 0;
      while (tokens < slots && q.bucket.tryTake()) {
        tokens++;
      }
      List<Task> claimed = tokens == 0 ? List.of() : store.claim(lq[0], lq[1], now, tokens);
      for (int i = claimed.size(); i < tokens; i++) {
        q.bucket.giveBack();
      }
      q.running.addAndGet(claimed.size() - slots); // the slots not used
      if (claimed.size() == tokens) {
        waiting.add(q); // all it could take: more may be due
      }
      for (Task t : claimed) {
        workers.execute(() -> attempt(store, q, t));
      }
    }
  }

  /**
   * Records the outcomes of the attempts that ended since the last pass in one go. If that fails
   * they are kept for the next pass (the tasks are neither attempted again nor lost meanwhile).
   */
  private void recordOutcomes() throws Exception {
    Map<TaskStore, List<TaskStore.Outcome>> byStore = new LinkedHashMap<>();
    for (Finished f; (f = outcomes.poll()) != null; ) {
      byStore.computeIfAbsent(f.store(), s -> new ArrayList<>()).add(f.outcome());
    }
    Exception failed = null;
    for (var e : byStore.entrySet()) {
      try {
        e.getKey().finish(e.getValue());
      } catch (Exception x) {
        e.getValue().forEach(o -> outcomes.add(new Finished(e.getKey(), o)));
        failed = failed == null ? x : failed;
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  private QueueState state(String location, String queue) {
    QueueSettings s = settings(location, queue);
    String key = location + "\n" + queue;
    QueueState q = queues.get(key);
    if (q != null && q.settings.equals(s)) {
      return q;
    }
    return queues.compute(
        key, (k, old) -> old != null && old.settings.equals(s) ? old : new QueueState(s));
  }

  private void attempt(TaskStore store, QueueState q, Task t) {
    long started = System.currentTimeMillis();
    long first = t.firstAttemptMillis() == 0 ? started : t.firstAttemptMillis();
    String failure;
    String answer = null;
    try {
      int status = delivery.deliver(t);
      answer = "HTTP " + status;
      failure = status / 100 == 2 ? null : answer;
    } catch (Exception e) {
      failure = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    long now = System.currentTimeMillis();
    int n = t.retries() + 1;
    String outcome;
    if (failure == null) {
      outcomes.add(new Finished(store, new TaskStore.Done(t.id(), now)));
      outcome = "done";
    } else {
      if (q.settings.exhausted(n, Duration.ofMillis(now - first))) {
        outcomes.add(new Finished(store, new TaskStore.Dead(t.id(), n, first, failure)));
        log.info("task {} of {} is dead after {} attempt(s): {}", t.id(), t.queue(), n, failure);
        outcome = "dead";
      } else {
        outcomes.add(
            new Finished(
                store,
                new TaskStore.Retry(
                    t.id(), n, first, now + q.settings.backoff(n).toMillis(), failure)));
        outcome = "retry";
      }
    }
    streamLogs.write(
        appAt.get(t.location()),
        StreamLogs.TASKS,
        t.queue()
            + " "
            + t.id()
            + " "
            + outcome
            + " attempt "
            + n
            + " "
            + (now - started)
            + "ms "
            + (failure == null ? answer : failure));
    try {
      attemptListener.finished(
          appAt.get(t.location()),
          instanceAt.get(t.location()),
          t.queue(),
          outcome,
          "task "
              + t.id()
              + " ("
              + t.deliveredName()
              + ")"
              + " "
              + t.method()
              + " "
              + t.path()
              + " "
              + outcome
              + " after attempt "
              + n
              + ": "
              + (failure == null ? answer : failure));
    } catch (RuntimeException e) {
      log.warn("cannot count an attempt of task {}: {}", t.id(), e.toString());
    }
    q.running.decrementAndGet();
    if (failure != null || q.backlog) {
      wake();
    }
  }

  /** The queues of {@code location}: settings, counts by state, and recent failures. */
  public Map<String, Object> describe(String location) throws Exception {
    Map<String, Map<String, Integer>> counts = stores.counts(location);
    Set<String> names = new TreeSet<>(counts.keySet());
    QueueTable table = tables.get(location);
    names.addAll(table == null ? Set.of(QueueSettings.DEFAULT_QUEUE) : table.queues().keySet());
    List<Map<String, Object>> queueList = new ArrayList<>();
    for (String name : names) {
      QueueSettings s = settings(location, name);
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("queue", name);
      q.put("declared", table != null && table.queue(name).isPresent());
      q.put("rate", s.rate());
      q.put("bucket_size", s.bucketSize());
      q.put("max_concurrent", s.maxConcurrent());
      q.put("retry_limit", s.retryLimit());
      q.put("age_limit_seconds", s.ageLimit() == null ? null : s.ageLimit().toSeconds());
      q.put("counts", counts.getOrDefault(name, Map.of()));
      queueList.add(q);
    }
    List<Map<String, Object>> failures = new ArrayList<>();
    for (Task t : stores.failures(location, 20)) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("id", t.id());
      f.put("queue", t.queue());
      f.put("name", t.deliveredName());
      f.put("method", t.method());
      f.put("path", t.path());
      f.put("state", t.state());
      f.put("retries", t.retries());
      f.put("next", t.state().equals(TaskStore.DEAD) ? null : iso(t.etaMillis()));
      f.put("last_result", t.lastResult());
      failures.add(f);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("queues", queueList);
    out.put("failures", failures);
    return out;
  }

  /** Queues dead task {@code id} of {@code location} again; false when there is no such task. */
  public boolean retry(String location, long id) throws Exception {
    boolean revived = stores.revive(location, id, System.currentTimeMillis());
    wake();
    return revived;
  }

  /** Drops the queued and dead tasks of {@code queue} at {@code location}; returns how many. */
  public int purge(String location, String queue) throws Exception {
    return stores.purge(location, queue, System.currentTimeMillis());
  }

  /**
   * Keeps the tasks of {@code location} in the Redis of its nodeset from now on ({@link
   * TaskStores#share}); returns how many tasks moved there.
   */
  public int share(String nodeset, String app, String location, String redis) throws Exception {
    int moved = stores.share(nodeset, app, location, redis);
    wake();
    return moved;
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  /** Stops dispatching; attempts under way are abandoned and run again after the next start. */
  @Override
  public void close() {
    closed = true;
    loop.interrupt();
    workers.shutdownNow();
    try {
      loop.join(5000);
      recordOutcomes();
    } catch (Exception e) {
      log.warn("cannot record the outcome of {} attempt(s): {}", outcomes.size(), e.toString());
    }
  }
}
