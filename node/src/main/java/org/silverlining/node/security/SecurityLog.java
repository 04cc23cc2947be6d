package org.silverlining.node.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.silverlining.core.Cidr;
import org.silverlining.node.logs.LogLimits;
import org.silverlining.node.logs.RotatingFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code logs/security.log}: one JSON object a line for each {@link SecurityEvent}, rotated under
 * the node's {@code [logs]} limits. It also keeps the bans: each event of a client outside {@code
 * [security] allow} counts towards {@code ban_after}, and {@link #banned} tells the front whom to
 * refuse.
 *
 * <p>{@link #record} only queues the line; one writer thread writes and flushes, so an attack that
 * sends thousands of bad requests costs them no disk write and no lock. When the writer falls
 * behind by {@link #QUEUE_LINES}, lines are dropped and counted in the log.
 */
public final class SecurityLog implements AutoCloseable {
  static final int QUEUE_LINES = 8192;
  private static final Logger log = LoggerFactory.getLogger(SecurityLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RotatingFile out;
  private final LogLimits limits;
  private final SecuritySettings settings;
  private final Bans bans;
  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(QUEUE_LINES);
  private final Thread writer;
  private volatile boolean open = true;
  private long dropped;

  public SecurityLog(Path file, LogLimits limits, SecuritySettings settings, Clock clock)
      throws IOException {
    this.limits = limits;
    this.settings = settings;
    this.bans = new Bans(settings.banAfter(), settings.banWindow(), settings.banFor(), clock);
    out = new RotatingFile(file, limits);
    writer = new Thread(this::writeLines, "security-log");
    writer.setDaemon(true);
    writer.start();
  }

  /** The {@code [security]} settings the log works with. */
  public SecuritySettings settings() {
    return settings;
  }

  /**
   * Records {@code event}: marks it allowed when its client is in {@code [security] allow},
   * otherwise counts it towards a ban (and records the ban it starts). Never blocks.
   */
  public void record(SecurityEvent event) {
    boolean allowed = allowed(event.client());
    write(event.withAllowed(allowed));
    if (!allowed
        && event.kind() != SecurityEvent.Kind.BANNED
        && event.kind() != SecurityEvent.Kind.BAN
        && bans.count(event.client())) {
      log.warn(
          "client {} banned for {} after {} security events within {}",
          event.client(),
          settings.banFor(),
          settings.banAfter(),
          settings.banWindow());
      write(
          SecurityEvent.of(
              SecurityEvent.Kind.BAN,
              event.client(),
              settings.banAfter()
                  + " events within "
                  + text(settings.banWindow())
                  + ": refused for "
                  + text(settings.banFor())));
    }
  }

  /** True while {@code client} (an address as the socket gives it) is banned. Cheap. */
  public boolean banned(String client) {
    return bans.banned(client);
  }

  /** True when {@code client} is in {@code [security] allow}. */
  public boolean allowed(String client) {
    if (settings.allow().isEmpty()) {
      return false;
    }
    try {
      Cidr c = Cidr.parse(client);
      return settings.allow().stream().anyMatch(n -> n.contains(c));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The events recorded since {@code since}, oldest first, from the current file and the rotated
   * ones; lines that are not events (a count of dropped lines) are skipped.
   */
  public List<SecurityEvent> since(Instant since) throws IOException {
    List<SecurityEvent> events = new ArrayList<>();
    Consumer<String> take =
        line -> {
          SecurityEvent e = parse(line);
          if (e != null && !Instant.parse(e.time()).isBefore(since)) {
            events.add(e);
          }
        };
    for (int i = limits.keep(); i >= 1; i--) {
      readLines(RotatingFile.rotated(out.file(), i), take);
    }
    readLines(out.file(), take);
    return events;
  }

  /** The events since {@code since}, grouped by client and kind. */
  public SecurityReport report(Instant since) throws IOException {
    return SecurityReport.of(since, since(since));
  }

  private static void readLines(Path file, Consumer<String> take) throws IOException {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        take.accept(line);
      }
    }
  }

  private static SecurityEvent parse(String line) {
    if (!line.startsWith("{")) {
      return null;
    }
    try {
      SecurityEvent e = JSON.readValue(line, SecurityEvent.class);
      Instant.parse(e.time());
      return e;
    } catch (JsonProcessingException | DateTimeParseException | NullPointerException e) {
      return null; // a line cut short by a full disk
    }
  }

  private static String text(java.time.Duration d) {
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }

  private void write(SecurityEvent event) {
    String line;
    try {
      line = JSON.writeValueAsString(event) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a security event that is not JSON: " + event, e);
    }
    if (!lines.offer(line)) {
      synchronized (this) {
        dropped++;
      }
    }
  }

  private void writeLines() {
    List<String> batch = new ArrayList<>();
    while (open || !lines.isEmpty()) {
      try {
        String first = lines.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        lines.drainTo(batch, 1023);
        for (String l : batch) {
          out.write(l);
        }
        batch.clear();
        long lost;
        synchronized (this) {
          lost = dropped;
          dropped = 0;
        }
        if (lost > 0) {
          out.write("# " + lost + " events dropped: the log could not keep up\n");
        }
        out.flush();
      } catch (InterruptedException e) {
        open = false;
      } catch (IOException e) {
        batch.clear(); // a full disk must not stop the front; these events are lost
        log.warn("cannot write the security log: {}", e.toString());
      }
    }
  }

  /** Writes what is queued and closes the file. */
  @Override
  public void close() {
    open = false;
    try {
      writer.join(2000);
      out.close();
    } catch (InterruptedException | IOException e) {
      // closing at shutdown
    }
  }
}
