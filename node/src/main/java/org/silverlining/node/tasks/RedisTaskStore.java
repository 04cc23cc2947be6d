package org.silverlining.node.tasks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.silverlining.node.resp.RedisClient;
import org.silverlining.node.state.NewerFormatException;

/**
 * The tasks in Redis ({@code [tasks] backend = redis://[user:password@]host:port[/db]} in {@code
 * node.ini}), so that several nodes can share the queues. Every operation is one Lua script, so it
 * is atomic however many nodes use the same Redis. Keys, under {@code silver:tasks:}:
 *
 * <ul>
 *   <li>{@code id}: the counter task ids come from;
 *   <li>{@code task:ID}: a hash per task (its body in base64);
 *   <li>{@code queued:QUEUE:LOCATION}: the queued tasks of a queue, a sorted set by ETA;
 *   <li>{@code queues}: the {@code LOCATION\nQUEUE} pairs that may have queued tasks;
 *   <li>{@code running}: the claimed tasks by the end of their lease (Redis' clock);
 *   <li>{@code dead:LOCATION}: the dead-letter list of a location, by time of death;
 *   <li>{@code finished}: done and purged tasks by time, until {@link #forget};
 *   <li>{@code loc:LOCATION}: every task id of a location;
 *   <li>{@code name:QUEUE:LOCATION\nNAME}: a remembered name ({@code SET NX}; it expires {@link
 *       TaskDispatcher#REMEMBER_NAMES} after its task finished).
 * </ul>
 *
 * <p>{@link #enqueue} returns once Redis has acknowledged the script: the task is then as durable
 * as Redis makes it ({@code appendonly yes} with {@code appendfsync always} to survive a crash of
 * Redis itself). A claim gives the task a lease of {@link #LEASE} (longer than a delivery may take)
 * and records the claiming node: when that node opens its store again, its claimed tasks are queued
 * again at once; a task claimed by a node that never comes back is queued again when its lease
 * ends. Delivery is so at least once across the nodes sharing the Redis.
 */
public final class RedisTaskStore implements TaskStore {
  /** The key prefix. */
  public static final String PREFIX = "silver:tasks:";

  /** How long a claimed task may stay running before any node may claim it again. */
  static final Duration LEASE = HttpTaskDelivery.TIMEOUT.plus(Duration.ofMinutes(5));

  static final int TIMEOUT_MILLIS = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

  private static final String COMMON =
      "local P = ARGV[1]\n"
          + "local function tkey(id) return P .. 'task:' .. id end\n"
          + "local function qkey(loc, q) return P .. 'queued:' .. q .. ':' .. loc end\n"
          + "local function nkey(loc, q, name) return P .. 'name:' .. q .. ':' .. loc .. '\\n' .. name end\n"
          + "local function requeue(id)\n"
          + "  local f = redis.call('HMGET', tkey(id), 'state', 'queue', 'location', 'eta')\n"
          + "  if f[1] == 'running' then\n"
          + "    redis.call('HSET', tkey(id), 'state', 'queued')\n"
          + "    redis.call('HDEL', tkey(id), 'owner')\n"
          + "    redis.call('ZADD', qkey(f[3], f[2]), f[4], id)\n"
          + "    redis.call('SADD', P .. 'queues', f[3] .. '\\n' .. f[2])\n"
          + "  end\n"
          + "  redis.call('ZREM', P .. 'running', id)\n"
          + "end\n"
          + "local function reclaim()\n"
          + "  local t = redis.call('TIME')\n"
          + "  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
          + "  for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'running', '-inf', now)) do\n"
          + "    requeue(id)\n"
          + "  end\n"
          + "  return now\n"
          + "end\n"
          + "local function remember(loc, q, name, id, millis)\n"
          + "  if name and redis.call('GET', nkey(loc, q, name)) == id then\n"
          + "    redis.call('PEXPIRE', nkey(loc, q, name), millis)\n"
          + "  end\n"
          + "end\n"
          // A new task from ARGV[2..11] (as callFor passes a Task.New) in state, with its retries
          // and first attempt; its id, or -1 when a task of its name is already there.
          + "local function create(retries, first, state)\n"
          + "  local loc, q, name = ARGV[2], ARGV[3], ARGV[4]\n"
          + "  local id = tostring(redis.call('INCR', P .. 'id'))\n"
          + "  if name ~= '' and not redis.call('SET', nkey(loc, q, name), id, 'NX') then\n"
          + "    return -1\n"
          + "  end\n"
          + "  redis.call('HSET', tkey(id), 'id', id, 'location', loc, 'queue', q, 'method', ARGV[5],"
          + " 'path', ARGV[6], 'headers', ARGV[7], 'eta', ARGV[10], 'created', ARGV[11],"
          + " 'retries', retries, 'first_attempt', first, 'state', state)\n"
          + "  if name ~= '' then redis.call('HSET', tkey(id), 'name', name) end\n"
          + "  if ARGV[9] == '1' then redis.call('HSET', tkey(id), 'body', ARGV[8]) end\n"
          + "  redis.call('SADD', P .. 'loc:' .. loc, id)\n"
          + "  return id\n"
          + "end\n";

  // ARGV: P, location, queue, name or '', method, path, headers, body or '', has body, eta,
  // created, owner or '' (claim it for that owner), lease millis
  private static final String ENQUEUE =
      "local id = create(0, 0, 'queued')\n"
          + "if id == -1 then return -1 end\n"
          + "local loc, q = ARGV[2], ARGV[3]\n"
          + "if ARGV[12] ~= '' then\n"
          + "  local t = redis.call('TIME')\n"
          + "  local rnow = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
          + "  redis.call('HSET', tkey(id), 'state', 'running', 'owner', ARGV[12])\n"
          + "  redis.call('ZADD', P .. 'running', rnow + tonumber(ARGV[13]), id)\n"
          + "else\n"
          + "  redis.call('ZADD', qkey(loc, q), ARGV[10], id)\n"
          + "  redis.call('SADD', P .. 'queues', loc .. '\\n' .. q)\n"
          + "end\n"
          + "return tonumber(id)\n";

  // ARGV: P, now
  private static final String DUE_QUEUES =
      "reclaim()\n"
          + "local out = {}\n"
          + "for _, m in ipairs(redis.call('SMEMBERS', P .. 'queues')) do\n"
          + "  local nl = string.find(m, '\\n', 1, true)\n"
          + "  local key = qkey(string.sub(m, 1, nl - 1), string.sub(m, nl + 1))\n"
          + "  if redis.call('ZCARD', key) == 0 then\n"
          + "    redis.call('SREM', P .. 'queues', m)\n"
          + "  elseif #redis.call('ZRANGEBYSCORE', key, '-inf', ARGV[2], 'LIMIT', 0, 1) > 0 then\n"
          + "    table.insert(out, m)\n"
          + "  end\n"
          + "end\n"
          + "return out\n";

  // ARGV: P, location, queue, now, limit, owner, lease millis
  private static final String CLAIM =
      "local rnow = reclaim()\n"
          + "local key = qkey(ARGV[2], ARGV[3])\n"
          + "local ids = redis.call('ZRANGEBYSCORE', key, '-inf', ARGV[4], 'LIMIT', 0,"
          + " tonumber(ARGV[5]))\n"
          + "local out = {}\n"
          + "for i, id in ipairs(ids) do\n"
          + "  redis.call('ZREM', key, id)\n"
          + "  redis.call('HSET', tkey(id), 'state', 'running', 'owner', ARGV[6])\n"
          + "  redis.call('ZADD', P .. 'running', rnow + tonumber(ARGV[7]), id)\n"
          + "  out[i] = redis.call('HGETALL', tkey(id))\n"
          + "end\n"
          + "return out\n";

  // ARGV: P, remember millis, then id and finished time of each done task
  private static final String DONE_LUA =
      "for i = 3, #ARGV, 2 do\n"
          + "  local id, fin = ARGV[i], ARGV[i + 1]\n"
          + "  local f = redis.call('HMGET', tkey(id), 'state', 'name', 'queue', 'location', 'eta')\n"
          + "  if f[1] then\n"
          + "    redis.call('HSET', tkey(id), 'state', 'done', 'finished', fin)\n"
          + "    redis.call('HDEL', tkey(id), 'body', 'owner')\n"
          + "    redis.call('ZREM', P .. 'running', id)\n"
          + "    redis.call('ZREM', qkey(f[4], f[3]), id)\n"
          + "    redis.call('ZADD', P .. 'finished', fin, id)\n"
          + "    remember(f[4], f[3], f[2], id, ARGV[2])\n"
          + "  end\n"
          + "end\n"
          + "return 1\n";

  /** The most done tasks one script records. */
  private static final int DONE_BATCH = 500;

  // ARGV: P, id, retries, first attempt, eta, result
  private static final String RETRY_LATER =
      "local id = ARGV[2]\n"
          + "local f = redis.call('HMGET', tkey(id), 'state', 'queue', 'location')\n"
          + "if not f[1] or f[1] == 'done' or f[1] == 'purged' then return 0 end\n"
          + "redis.call('HSET', tkey(id), 'state', 'queued', 'retries', ARGV[3],"
          + " 'first_attempt', ARGV[4], 'eta', ARGV[5], 'last_result', ARGV[6])\n"
          + "redis.call('HDEL', tkey(id), 'owner')\n"
          + "redis.call('ZREM', P .. 'running', id)\n"
          + "redis.call('ZADD', qkey(f[3], f[2]), ARGV[5], id)\n"
          + "redis.call('SADD', P .. 'queues', f[3] .. '\\n' .. f[2])\n"
          + "return 1\n";

  // ARGV: P, id, retries, first attempt, result, finished
  private static final String DEAD_LUA =
      "local id = ARGV[2]\n"
          + "local f = redis.call('HMGET', tkey(id), 'state', 'queue', 'location')\n"
          + "if not f[1] then return 0 end\n"
          + "redis.call('HSET', tkey(id), 'state', 'dead', 'retries', ARGV[3],"
          + " 'first_attempt', ARGV[4], 'last_result', ARGV[5], 'finished', ARGV[6])\n"
          + "redis.call('HDEL', tkey(id), 'owner')\n"
          + "redis.call('ZREM', P .. 'running', id)\n"
          + "redis.call('ZREM', qkey(f[3], f[2]), id)\n"
          + "redis.call('ZADD', P .. 'dead:' .. f[3], ARGV[6], id)\n"
          + "return 1\n";

  // ARGV: P, location, id, now
  private static final String REVIVE =
      "local id = ARGV[3]\n"
          + "local f = redis.call('HMGET', tkey(id), 'state', 'queue', 'location')\n"
          + "if f[1] ~= 'dead' or f[3] ~= ARGV[2] then return 0 end\n"
          + "redis.call('HSET', tkey(id), 'state', 'queued', 'retries', 0, 'first_attempt', 0,"
          + " 'eta', ARGV[4])\n"
          + "redis.call('HDEL', tkey(id), 'finished')\n"
          + "redis.call('ZREM', P .. 'dead:' .. f[3], id)\n"
          + "redis.call('ZADD', qkey(f[3], f[2]), ARGV[4], id)\n"
          + "redis.call('SADD', P .. 'queues', f[3] .. '\\n' .. f[2])\n"
          + "return 1\n";

  // ARGV: P, location, queue, now, remember millis
  private static final String PURGE =
      "local loc, q, n = ARGV[2], ARGV[3], 0\n"
          + "local function drop(id)\n"
          + "  redis.call('HSET', tkey(id), 'state', 'purged', 'finished', ARGV[4])\n"
          + "  redis.call('HDEL', tkey(id), 'body', 'owner')\n"
          + "  redis.call('ZADD', P .. 'finished', ARGV[4], id)\n"
          + "  remember(loc, q, redis.call('HGET', tkey(id), 'name'), id, ARGV[5])\n"
          + "  n = n + 1\n"
          + "end\n"
          + "for _, id in ipairs(redis.call('ZRANGE', qkey(loc, q), 0, -1)) do drop(id) end\n"
          + "redis.call('DEL', qkey(loc, q))\n"
          + "for _, id in ipairs(redis.call('ZRANGE', P .. 'dead:' .. loc, 0, -1)) do\n"
          + "  if redis.call('HGET', tkey(id), 'queue') == q then\n"
          + "    drop(id)\n"
          + "    redis.call('ZREM', P .. 'dead:' .. loc, id)\n"
          + "  end\n"
          + "end\n"
          + "return n\n";

  // ARGV: P, cutoff
  private static final String FORGET =
      "local ids = redis.call('ZRANGEBYSCORE', P .. 'finished', '-inf', '(' .. ARGV[2])\n"
          + "for _, id in ipairs(ids) do\n"
          + "  local f = redis.call('HMGET', tkey(id), 'name', 'queue', 'location')\n"
          + "  if f[1] and redis.call('GET', nkey(f[3], f[2], f[1])) == id then\n"
          + "    redis.call('DEL', nkey(f[3], f[2], f[1]))\n"
          + "  end\n"
          + "  if f[3] then redis.call('SREM', P .. 'loc:' .. f[3], id) end\n"
          + "  redis.call('DEL', tkey(id))\n"
          + "end\n"
          + "redis.call('ZREMRANGEBYSCORE', P .. 'finished', '-inf', '(' .. ARGV[2])\n"
          + "return #ids\n";

  // ARGV: P, location, queue, name or '', method, path, headers, body or '', has body, eta,
  // created, retries, first attempt, state, last result or '', finished
  private static final String ADOPT =
      "local id = create(ARGV[12], ARGV[13], ARGV[14])\n"
          + "if id == -1 then return -1 end\n"
          + "local loc, q = ARGV[2], ARGV[3]\n"
          + "if ARGV[15] ~= '' then redis.call('HSET', tkey(id), 'last_result', ARGV[15]) end\n"
          + "if ARGV[14] == 'dead' then\n"
          + "  redis.call('HSET', tkey(id), 'finished', ARGV[16])\n"
          + "  redis.call('ZADD', P .. 'dead:' .. loc, ARGV[16], id)\n"
          + "else\n"
          + "  redis.call('ZADD', qkey(loc, q), ARGV[10], id)\n"
          + "  redis.call('SADD', P .. 'queues', loc .. '\\n' .. q)\n"
          + "end\n"
          + "return tonumber(id)\n";

  // ARGV: P, id
  private static final String REMOVE =
      "local id = ARGV[2]\n"
          + "local f = redis.call('HMGET', tkey(id), 'name', 'queue', 'location')\n"
          + "if not f[2] then return 0 end\n"
          + "if f[1] and redis.call('GET', nkey(f[3], f[2], f[1])) == id then\n"
          + "  redis.call('DEL', nkey(f[3], f[2], f[1]))\n"
          + "end\n"
          + "for _, key in ipairs({P .. 'running', qkey(f[3], f[2]), P .. 'dead:' .. f[3],"
          + " P .. 'finished'}) do\n"
          + "  redis.call('ZREM', key, id)\n"
          + "end\n"
          + "redis.call('SREM', P .. 'loc:' .. f[3], id)\n"
          + "redis.call('DEL', tkey(id))\n"
          + "return 1\n";

  // ARGV: P, location. Returns id, queue, state, retries, finished or '', eta per task.
  private static final String SUMMARY =
      "local out = {}\n"
          + "for _, id in ipairs(redis.call('SMEMBERS', P .. 'loc:' .. ARGV[2])) do\n"
          + "  local f = redis.call('HMGET', tkey(id), 'queue', 'state', 'retries', 'finished',"
          + " 'eta')\n"
          + "  if f[1] then\n"
          + "    table.insert(out, {id, f[1], f[2], f[3], f[4] or '', f[5]})\n"
          + "  else\n"
          + "    redis.call('SREM', P .. 'loc:' .. ARGV[2], id)\n"
          + "  end\n"
          + "end\n"
          + "return out\n";

  // ARGV: P, owner
  private static final String REQUEUE_OWNED =
      "local n = 0\n"
          + "for _, id in ipairs(redis.call('ZRANGE', P .. 'running', 0, -1)) do\n"
          + "  if redis.call('HGET', tkey(id), 'owner') == ARGV[2] then\n"
          + "    requeue(id)\n"
          + "    n = n + 1\n"
          + "  end\n"
          + "end\n"
          + "return n\n";

  /**
   * The format of what this store keeps in Redis, in the key {@code PREFIX format}: set by the
   * first node to use the store (a store of release 0.1, without the key, is format 1), refused by
   * a node that knows only older formats.
   */
  static final int FORMAT = 1;

  private static final String CHECK_FORMAT =
      "local f = tonumber(redis.call('GET', P .. 'format') or '0')\n"
          + "if f == 0 then\n"
          + "  redis.call('SET', P .. 'format', ARGV[2])\n"
          + "  return tonumber(ARGV[2])\n"
          + "end\n"
          + "return f\n";

  private final RedisClient redis;
  private final String prefix;
  private final String owner;
  private final long leaseMillis;

  /**
   * Connects to the Redis at {@code url} ({@code redis://[user:password@]host:port[/db]}) and
   * queues again the tasks {@code owner} (this node, stable across its restarts) had claimed.
   */
  public RedisTaskStore(String url, String owner) throws IOException {
    this(url, owner, PREFIX, LEASE);
  }

  /** The same, with the keys under {@code prefix} instead of {@link #PREFIX}. */
  public RedisTaskStore(String url, String owner, String prefix) throws IOException {
    this(url, owner, prefix, LEASE);
  }

  RedisTaskStore(String url, String owner, String prefix, Duration lease) throws IOException {
    redis = new RedisClient(url, "the task store", TIMEOUT_MILLIS);
    this.prefix = prefix;
    this.owner = owner;
    this.leaseMillis = lease.toMillis();
    long format = (Long) call(CHECK_FORMAT, Integer.toString(FORMAT));
    NewerFormatException.check(
        "the task store at " + this + " (key " + prefix + "format)", (int) format, FORMAT);
    // Attempts this node had begun before it stopped may not have reached the app: they run again.
    call(REQUEUE_OWNED, owner);
  }

  /** Where the store is, without credentials. */
  @Override
  public String toString() {
    return redis.toString();
  }

  @Override
  public synchronized Task enqueue(Task.New t, boolean claim) throws Exception {
    long now = System.currentTimeMillis();
    long id =
        (Long)
            callFor(ENQUEUE, t, Long.toString(now), claim ? owner : "", Long.toString(leaseMillis));
    if (id < 0) {
      throw new DuplicateTaskException(t.queue(), t.name());
    }
    Task task = t.stored(id, now);
    return claim ? task.withState(RUNNING) : task;
  }

  @Override
  public synchronized List<String[]> dueQueues(long nowMillis) throws IOException {
    List<String[]> out = new ArrayList<>();
    for (Object m : list(call(DUE_QUEUES, Long.toString(nowMillis)))) {
      String s = (String) m;
      int nl = s.indexOf('\n');
      out.add(new String[] {s.substring(0, nl), s.substring(nl + 1)});
    }
    return out;
  }

  @Override
  public synchronized List<Task> claim(String location, String queue, long nowMillis, int limit)
      throws IOException {
    List<Task> out = new ArrayList<>();
    for (Object h :
        list(
            call(
                CLAIM,
                location,
                queue,
                Long.toString(nowMillis),
                Integer.toString(limit),
                owner,
                Long.toString(leaseMillis)))) {
      out.add(task(h));
    }
    out.sort(Comparator.comparingLong(Task::etaMillis).thenComparingLong(Task::id));
    return out;
  }

  @Override
  public synchronized void done(long id, long nowMillis) throws IOException {
    finish(List.of(new Done(id, nowMillis)));
  }

  /** Records the done tasks among {@code outcomes} a batch per script, then the others. */
  @Override
  public synchronized void finish(List<Outcome> outcomes) throws IOException {
    List<String> done = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (o instanceof Done d) {
        done.add(Long.toString(d.id()));
        done.add(Long.toString(d.nowMillis()));
        if (done.size() == 2 * DONE_BATCH) {
          recordDone(done);
        }
      }
    }
    recordDone(done);
    for (Outcome o : outcomes) {
      if (o instanceof Retry r) {
        retryLater(r.id(), r.retries(), r.firstAttemptMillis(), r.etaMillis(), r.result());
      } else if (o instanceof Dead d) {
        dead(d.id(), d.retries(), d.firstAttemptMillis(), d.result());
      }
    }
  }

  private void recordDone(List<String> idsAndTimes) throws IOException {
    if (idsAndTimes.isEmpty()) {
      return;
    }
    List<String> args = new ArrayList<>(idsAndTimes.size() + 1);
    args.add(Long.toString(TaskDispatcher.REMEMBER_NAMES.toMillis()));
    args.addAll(idsAndTimes);
    call(DONE_LUA, args.toArray(String[]::new));
    idsAndTimes.clear();
  }

  @Override
  public synchronized void retryLater(
      long id, int retries, long firstAttemptMillis, long etaMillis, String result)
      throws IOException {
    call(
        RETRY_LATER,
        Long.toString(id),
        Integer.toString(retries),
        Long.toString(firstAttemptMillis),
        Long.toString(etaMillis),
        result == null ? "" : result);
  }

  @Override
  public synchronized void dead(long id, int retries, long firstAttemptMillis, String result)
      throws IOException {
    call(
        DEAD_LUA,
        Long.toString(id),
        Integer.toString(retries),
        Long.toString(firstAttemptMillis),
        result == null ? "" : result,
        Long.toString(System.currentTimeMillis()));
  }

  @Override
  public synchronized boolean revive(String location, long id, long nowMillis) throws IOException {
    return (Long) call(REVIVE, location, Long.toString(id), Long.toString(nowMillis)) == 1;
  }

  @Override
  public synchronized int purge(String location, String queue, long nowMillis) throws IOException {
    return ((Long)
            call(
                PURGE,
                location,
                queue,
                Long.toString(nowMillis),
                Long.toString(TaskDispatcher.REMEMBER_NAMES.toMillis())))
        .intValue();
  }

  @Override
  public synchronized Task adopt(Task t) throws Exception {
    long id =
        (Long)
            callFor(
                ADOPT,
                t.request(),
                Long.toString(t.createdMillis()),
                Integer.toString(t.retries()),
                Long.toString(t.firstAttemptMillis()),
                DEAD.equals(t.state()) ? DEAD : QUEUED,
                t.lastResult() == null ? "" : t.lastResult(),
                Long.toString(System.currentTimeMillis()));
    if (id < 0) {
      throw new DuplicateTaskException(t.queue(), t.name());
    }
    return task(id);
  }

  @Override
  public synchronized void remove(long id) throws IOException {
    call(REMOVE, Long.toString(id));
  }

  @Override
  public synchronized int forget(long cutoffMillis) throws IOException {
    return ((Long) call(FORGET, Long.toString(cutoffMillis))).intValue();
  }

  @Override
  public synchronized Map<String, Map<String, Integer>> counts(String location) throws IOException {
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    for (Object o : list(call(SUMMARY, location))) {
      List<Object> r = list(o);
      out.computeIfAbsent((String) r.get(1), q -> new TreeMap<>())
          .merge((String) r.get(2), 1, Integer::sum);
    }
    return out;
  }

  @Override
  public synchronized List<Task> failures(String location, int limit) throws IOException {
    record Row(long id, long at) {}
    List<Row> rows = new ArrayList<>();
    for (Object o : list(call(SUMMARY, location))) {
      List<Object> r = list(o);
      String state = (String) r.get(2);
      boolean failed =
          DEAD.equals(state)
              || ((QUEUED.equals(state) || RUNNING.equals(state))
                  && Integer.parseInt((String) r.get(3)) > 0);
      if (failed) {
        String finished = (String) r.get(4);
        rows.add(
            new Row(
                Long.parseLong((String) r.get(0)),
                Long.parseLong(finished.isEmpty() ? (String) r.get(5) : finished)));
      }
    }
    rows.sort(Comparator.comparingLong(Row::at).thenComparingLong(Row::id).reversed());
    List<Task> out = new ArrayList<>();
    for (Row r : rows.subList(0, Math.min(limit, rows.size()))) {
      Task t = task(r.id());
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  @Override
  public synchronized Task task(long id) throws IOException {
    List<Object> h = list(command("HGETALL", prefix + "task:" + id));
    return h.isEmpty() ? null : task(h);
  }

  private static Task task(Object hgetall) throws IOException {
    List<Object> l = list(hgetall);
    Map<String, String> f = new HashMap<>();
    for (int i = 0; i + 1 < l.size(); i += 2) {
      f.put((String) l.get(i), (String) l.get(i + 1));
    }
    String result = f.get("last_result");
    return new Task(
        Long.parseLong(f.getOrDefault("id", "0")),
        f.get("location"),
        f.get("queue"),
        f.get("name"),
        f.get("method"),
        f.get("path"),
        JSON.readValue(f.getOrDefault("headers", "{}"), HEADERS),
        f.containsKey("body") ? Base64.getDecoder().decode(f.get("body")) : null,
        Long.parseLong(f.getOrDefault("eta", "0")),
        Long.parseLong(f.getOrDefault("created", "0")),
        Integer.parseInt(f.getOrDefault("retries", "0")),
        Long.parseLong(f.getOrDefault("first_attempt", "0")),
        f.get("state"),
        result == null || result.isEmpty() ? null : result);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object reply) throws IOException {
    if (reply instanceof List<?>) {
      return (List<Object>) reply;
    }
    throw new IOException("unexpected reply from Redis: " + reply);
  }

  /**
   * Runs script {@code body} with the fields of {@code t} (location, queue, name or '', method,
   * path, headers, body or '', has body, eta), then {@code more}.
   */
  private Object callFor(String body, Task.New t, String... more) throws IOException {
    List<String> args = new ArrayList<>(9 + more.length);
    args.addAll(
        List.of(
            t.location(),
            t.queue(),
            t.name() == null ? "" : t.name(),
            t.method(),
            t.path(),
            JSON.writeValueAsString(t.headers()),
            t.body() == null ? "" : Base64.getEncoder().encodeToString(t.body()),
            t.body() == null ? "0" : "1",
            Long.toString(t.etaMillis())));
    args.addAll(List.of(more));
    return call(body, args.toArray(String[]::new));
  }

  /** Runs script {@code body} with {@code args} after the key prefix. */
  private Object call(String body, String... args) throws IOException {
    String[] argv = new String[args.length + 1];
    argv[0] = prefix;
    System.arraycopy(args, 0, argv, 1, args.length);
    return redis.eval(COMMON + body, argv);
  }

  /** Sends one command; reconnects once after a lost connection. */
  private Object command(String... args) throws IOException {
    return redis.call(args);
  }

  @Override
  public synchronized void close() {
    redis.close();
  }
}
