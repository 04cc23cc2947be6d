package org.silverlining.node.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.silverlining.core.PrivateFile;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.process.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's rotating platform secret: the {@link KeyRing} in {@code ROOT/secrets/keyring.json}
 * (mode 600) and each app's copy of it, {@code ROOT/apps/APP/keyring.json} (mode 600, the app's
 * {@code SILVER_SECRETS_FILE}). Every change is written to the node's file first, then to every
 * app's copy, each replaced atomically, so a running app sees the new ring at its next read.
 *
 * <p>Expired keys are removed when the node starts, at each rotation and by a timer armed for the
 * next expiry (and at least every {@link #CHECK_EVERY}), so a grace period ends while the node
 * runs. Key material never leaves the files: {@link #describe} and the log name ids and instants
 * only.
 */
public final class PlatformSecret implements AutoCloseable {
  /** The longest the timer sleeps between two looks for expired keys. */
  static final Duration CHECK_EVERY = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(PlatformSecret.class);

  private final NodeLayout layout;
  private final Clock clock;
  private final Supplier<Collection<String>> apps;
  private final ScheduledExecutorService timer;
  private KeyRing ring;
  private ScheduledFuture<?> next;

  private PlatformSecret(
      NodeLayout layout, Clock clock, Supplier<Collection<String>> apps, KeyRing ring) {
    this.layout = layout;
    this.clock = clock;
    this.apps = apps;
    this.ring = ring;
    this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("key-ring"));
  }

  /**
   * Opens the node's key ring, creating it with one key when there is none, and removes expired
   * keys; {@code apps} names the apps whose copies to refresh on a change.
   *
   * @throws IOException when the ring file exists but cannot be read: it is never replaced then
   */
  public static PlatformSecret open(
      NodeLayout layout, Clock clock, Supplier<Collection<String>> apps) throws IOException {
    boolean existed = Files.exists(layout.keyringFile());
    KeyRing ring = ensure(layout, clock.instant());
    if (!existed) {
      log.info("created the platform secret's key ring with key {}", ring.current());
    }
    PlatformSecret secret = new PlatformSecret(layout, clock, apps, ring);
    secret.expire();
    return secret;
  }

  /** The node's key ring, created with one key when the file does not exist yet. */
  public static KeyRing ensure(NodeLayout layout, Instant now) throws IOException {
    Path file = layout.keyringFile();
    if (Files.exists(file)) {
      try {
        return KeyRing.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
      } catch (IllegalArgumentException e) {
        throw new IOException(
            e.getMessage()
                + "; the node will not replace it (its keys would be lost): repair it from a"
                + " backup, or move it away to start with a new key",
            e);
      }
    }
    KeyRing ring = KeyRing.fresh(now);
    PrivateFile.replace(file, ring.toJson());
    return ring;
  }

  /** Starts the timer that removes keys as they expire. */
  public synchronized void start() {
    arm();
  }

  public synchronized KeyRing ring() {
    return ring;
  }

  /** Writes {@code app}'s copy of the ring (its SILVER_SECRETS_FILE) and returns its path. */
  public synchronized Path publish(String app) throws IOException {
    Path file = layout.appKeyring(app);
    PrivateFile.replace(file, ring.toJson());
    return file;
  }

  /**
   * Makes a new current key; older keys stay valid for {@code grace} at most. Returns the ring's
   * description.
   */
  public synchronized Description rotate(Duration grace) throws IOException {
    KeyRing before = ring;
    save(ring.rotated(grace, clock.instant()));
    log.info(
        "platform secret rotated: key {} is current; key {} {} ({} key(s) in the ring)",
        ring.current(),
        before.current(),
        grace.isZero() ? "removed" : "valid for verification for " + GracePeriod.format(grace),
        ring.keys().size());
    arm();
    return describe();
  }

  /**
   * Takes {@code other} as this node's ring (a nodeset's app servers share one platform secret),
   * for the node and every app's copy.
   */
  public synchronized Description adopt(KeyRing other) throws IOException {
    save(other);
    log.info(
        "platform secret replaced: key {} is current ({} key(s))",
        ring.current(),
        ring.keys().size());
    arm();
    return describe();
  }

  /** The ring without key material: which key is current, the node's file, and every key. */
  public record Description(String current, String file, List<KeyInfo> keys) {}

  /** One key of the ring without its material: id, whether current, when made, when it expires. */
  public record KeyInfo(String id, boolean current, String created, String expires) {}

  /** The ring without key material: ids, when made, when they expire, which is current. */
  public synchronized Description describe() {
    List<KeyInfo> keys = new ArrayList<>();
    for (KeyRing.Key k : ring.keys()) {
      keys.add(
          new KeyInfo(
              k.id(),
              k.id().equals(ring.current()),
              k.created().toString(),
              k.expires() == null ? null : k.expires().toString()));
    }
    return new Description(ring.current(), layout.keyringFile().toString(), keys);
  }

  /** Removes the keys whose time is up, from the node's file and every app's copy. */
  synchronized void expire() throws IOException {
    KeyRing left = ring.withoutExpired(clock.instant());
    if (left != ring) {
      int removed = ring.keys().size() - left.keys().size();
      save(left);
      log.info("removed {} expired key(s) from the platform secret", removed);
    }
  }

  private void save(KeyRing next) throws IOException {
    PrivateFile.replace(layout.keyringFile(), next.toJson());
    ring = next;
    for (String app : apps.get()) {
      if (Files.isDirectory(layout.appDir(app))) {
        publish(app);
      }
    }
  }

  /** Schedules the next look for expired keys: at the next expiry, or after CHECK_EVERY. */
  private void arm() {
    if (next != null) {
      next.cancel(false);
    }
    long wait = CHECK_EVERY.toMillis();
    var expiry = ring.nextExpiry();
    if (expiry.isPresent()) {
      long until = Duration.between(clock.instant(), expiry.get()).toMillis() + 1;
      wait = Math.max(0, Math.min(wait, until));
    }
    next = timer.schedule(this::tick, wait, TimeUnit.MILLISECONDS);
  }

  private synchronized void tick() {
    try {
      expire();
    } catch (IOException | RuntimeException e) {
      log.warn("could not remove expired keys of the platform secret: {}", e.toString());
    }
    if (!timer.isShutdown()) {
      arm();
    }
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
  }
}
