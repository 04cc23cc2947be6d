package org.silverlining.node.cron;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.silverlining.node.process.DaemonThreads;
import org.silverlining.node.resp.RedisClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cron jobs once per nodeset. A location that a nodeset update reached is the nodeset's on each of
 * its app servers ({@link #join}); its jobs run only on the app server that holds the nodeset's
 * <em>lease</em> in the nodeset's Redis: a key {@code silver:nodeset:NAME:cron:leader} naming the
 * node, set with {@code NX} and an expiry of {@link #LEASE}, renewed every {@link #RENEW}. Each
 * time a node takes the lease it gets a <em>fencing token</em> ({@code INCR
 * silver:nodeset:NAME:cron:token}), which only grows. A run is admitted by Redis only when the
 * token it carries is still the current one and the lease still names the node, and only once per
 * job and due time: a leader that stalled past its lease (a pause, a lost network) and another has
 * replaced is refused, and a handover does not run a due time twice. The token goes with the run
 * ({@code X-Silver-Cron-Token}, {@code SILVER_CRON_TOKEN}) for apps that fence their own writes.
 *
 * <p>A dead leader's lease expires within {@link #LEASE}, and another app server takes it at its
 * next renewal: its jobs move within {@code LEASE + RENEW} (20 s). While the nodeset's Redis cannot
 * be reached, no app server runs the nodeset's jobs (a leader stops when its lease would have
 * expired): a job is rather skipped than run twice.
 */
public final class CronLeadership implements AutoCloseable {
  static final Duration LEASE = Duration.ofSeconds(15);
  static final Duration RENEW = Duration.ofSeconds(5);
  static final String PREFIX = "silver:nodeset:";
  private static final int TIMEOUT_MILLIS = 2_000;
  private static final Logger log = LoggerFactory.getLogger(CronLeadership.class);

  /** Takes or keeps the lease: returns {holder, token}, token 0 when another node holds it. */
  private static final String ACQUIRE =
      "local cur = redis.call('GET', ARGV[1])\n"
          + "if cur == ARGV[3] then\n"
          + "  redis.call('PEXPIRE', ARGV[1], ARGV[4])\n"
          + "  return {cur, tonumber(redis.call('GET', ARGV[2]) or '0')}\n"
          + "end\n"
          + "if cur then return {cur, 0} end\n"
          + "local token = redis.call('INCR', ARGV[2])\n"
          + "redis.call('SET', ARGV[1], ARGV[3], 'PX', ARGV[4])\n"
          + "return {ARGV[3], token}\n";

  /**
   * Admits a run carrying token ARGV[4] of node ARGV[3] for job ARGV[6] due at ARGV[7]: {1, token}
   * admitted; {0, current token} refused (a stale leader); {-1, token} that due time ran already.
   */
  private static final String ADMIT =
      "local current = tonumber(redis.call('GET', ARGV[2]) or '0')\n"
          + "if current ~= tonumber(ARGV[4]) or redis.call('GET', ARGV[1]) ~= ARGV[3] then\n"
          + "  return {0, current}\n"
          + "end\n"
          + "local last = tonumber(redis.call('HGET', ARGV[5], ARGV[6]) or '0')\n"
          + "if last >= tonumber(ARGV[7]) then return {-1, current} end\n"
          + "redis.call('HSET', ARGV[5], ARGV[6], ARGV[7])\n"
          + "return {1, current}\n";

  /** What a due job may do on this node. */
  public sealed interface Turn {}

  /** Not a nodeset's location: it runs here, unfenced. */
  public record Local() implements Turn {}

  /** This node leads the location's nodeset, with {@code token}. */
  public record Leader(String nodeset, long token) implements Turn {}

  /** Another app server runs it (or none can be sure to, while Redis is not reachable). */
  public record Follower(String nodeset, String leader) implements Turn {}

  /** A nodeset this node is an app server of, and where it stands in it. */
  private static final class Lease {
    final String nodeset;
    final RedisClient redis;
    volatile String holder = "";
    volatile long token;
    volatile long validUntil = System.nanoTime();

    Lease(String nodeset, RedisClient redis) {
      this.nodeset = nodeset;
      this.redis = redis;
    }

    String key(String what) {
      return PREFIX + nodeset + ":cron:" + what;
    }

    boolean held() {
      return token > 0 && System.nanoTime() - validUntil < 0;
    }
  }

  private final String node;
  private final Path file;
  private final Properties saved = new Properties();
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cron-lease"));

  /** The leadership of node {@code node}, its memberships kept in {@code file} (mode 600). */
  public CronLeadership(String node, Path file) throws IOException {
    this.node = node;
    this.file = file;
    if (Files.isRegularFile(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        saved.load(r);
      }
    }
    for (String name : saved.stringPropertyNames()) {
      if (name.startsWith("redis.")) {
        open(name.substring("redis.".length()), saved.getProperty(name));
      }
    }
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::renewAll, 0, RENEW.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Makes {@code location} a location of the nodeset {@code nodeset}, whose Redis is at {@code
   * redis}; kept across restarts. Takes part in the nodeset's lease at once.
   *
   * @throws IllegalArgumentException when {@code redis} is not a redis URL
   */
  public synchronized void join(String nodeset, String location, String redis) throws IOException {
    Lease before = leases.get(nodeset);
    if (before == null || !redis.equals(saved.getProperty("redis." + nodeset))) {
      Lease lease = open(nodeset, redis);
      if (before != null) {
        before.redis.close();
      }
      renew(lease);
    }
    saved.setProperty("redis." + nodeset, redis);
    saved.setProperty("location." + location, nodeset);
    save();
  }

  private Lease open(String nodeset, String redis) {
    Lease lease =
        new Lease(
            nodeset, new RedisClient(redis, "the Redis of the nodeset " + nodeset, TIMEOUT_MILLIS));
    leases.put(nodeset, lease);
    return lease;
  }

  /** A location of a nodeset this node is an app server of, and the nodeset's Redis. */
  public record Membership(String nodeset, String location, String redis) {}

  /** Every location {@link #join} made a nodeset's, as kept across restarts. */
  public synchronized List<Membership> memberships() {
    return saved.stringPropertyNames().stream()
        .filter(k -> k.startsWith("location."))
        .sorted()
        .map(
            k -> {
              String nodeset = saved.getProperty(k);
              return new Membership(
                  nodeset,
                  k.substring("location.".length()),
                  saved.getProperty("redis." + nodeset));
            })
        .toList();
  }

  /** Who runs the jobs of {@code location} that are due now. */
  public Turn turn(String location) {
    String nodeset = saved.getProperty("location." + location);
    Lease lease = nodeset == null ? null : leases.get(nodeset);
    if (lease == null) {
      return new Local();
    }
    return lease.held()
        ? new Leader(nodeset, lease.token)
        : new Follower(nodeset, lease.holder.isEmpty() ? "none" : lease.holder);
  }

  /**
   * Asks the nodeset's Redis to admit the run of {@code job} of {@code location} due at {@code due}
   * under {@code leader}'s token. Null when admitted; otherwise why not, for the cron log; {@link
   * #DONE} when that due time ran already.
   */
  public String admit(Leader leader, String location, String job, Instant due) {
    Lease lease = leases.get(leader.nodeset());
    try {
      List<?> r =
          (List<?>)
              lease.redis.eval(
                  ADMIT,
                  lease.key("leader"),
                  lease.key("token"),
                  node,
                  Long.toString(leader.token()),
                  lease.key("runs"),
                  location + "\n" + job,
                  Long.toString(due.getEpochSecond()));
      long verdict = (Long) r.get(0);
      if (verdict == 1) {
        return null;
      }
      if (verdict < 0) {
        return DONE;
      }
      lease.token = 0; // lost: take part again at the next renewal
      return "refused: this node's fencing token "
          + leader.token()
          + " of the nodeset "
          + leader.nodeset()
          + " is stale (the current one is "
          + r.get(1)
          + ")";
    } catch (IOException | RuntimeException e) {
      return "refused: cannot reach the Redis of the nodeset "
          + leader.nodeset()
          + ": "
          + e.getMessage();
    }
  }

  /** {@link #admit}'s answer for a due time another app server ran already. */
  public static final String DONE = "done";

  /** Takes part in every nodeset's lease now, as the timer does every {@link #RENEW}. */
  void renewAll() {
    leases.values().forEach(this::renew);
  }

  private void renew(Lease lease) {
    long asked = System.nanoTime();
    try {
      List<?> r =
          (List<?>)
              lease.redis.eval(
                  ACQUIRE,
                  lease.key("leader"),
                  lease.key("token"),
                  node,
                  Long.toString(LEASE.toMillis()));
      String holder = (String) r.get(0);
      long token = (Long) r.get(1);
      if (token > 0 && token != lease.token) {
        log.info("leads the cron jobs of the nodeset {} (fencing token {})", lease.nodeset, token);
      }
      lease.holder = holder;
      lease.token = token;
      // Counted from before the request: Redis set the expiry at some point after it.
      lease.validUntil = asked + LEASE.toNanos();
    } catch (IOException | RuntimeException e) {
      log.warn("cron lease of the nodeset {}: {}", lease.nodeset, e.getMessage());
    }
  }

  /** Each nodeset of this node: its Redis (without credentials), leader, token and locations. */
  public Map<String, Object> describe() {
    Map<String, Object> out = new TreeMap<>();
    for (Lease lease : leases.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("redis", lease.redis.toString());
      m.put("leader", lease.holder);
      m.put("leading", lease.held());
      m.put("token", lease.held() ? lease.token : 0);
      m.put(
          "locations",
          saved.stringPropertyNames().stream()
              .filter(k -> k.startsWith("location.") && saved.getProperty(k).equals(lease.nodeset))
              .map(k -> k.substring("location.".length()))
              .sorted()
              .toList());
      out.put(lease.nodeset, m);
    }
    return out;
  }

  private void save() throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (Writer w = Files.newBufferedWriter(tmp)) {
      saved.store(w, "Nodesets this node is an app server of (silver update APP SITE.nodeset)");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    leases.values().forEach(l -> l.redis.close());
  }
}
