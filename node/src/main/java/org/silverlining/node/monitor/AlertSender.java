package org.silverlining.node.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.silverlining.node.process.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts and error reports where the global configuration says: {@code alert_webhook} (a
 * URL that gets the alert as a JSON POST) and {@code alert_email} (addresses, through node.ini's
 * {@code [smtp]}), each read for the alert's app so an app may override them. One thread sends, in
 * order; a failed delivery is logged and not retried, so a dead receiver never piles work up.
 */
public final class AlertSender implements AutoCloseable {
  static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(AlertSender.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The global configuration an app sees (the node's own for {@code null}). */
  public interface Settings {
    Map<String, String> of(String app) throws Exception;
  }

  private final Settings settings;
  private final Optional<Mailer> mailer;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WEBHOOK_TIMEOUT).build();
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(DaemonThreads.named("alerts"));

  public AlertSender(Settings settings, Optional<Mailer> mailer) {
    this.settings = settings;
    this.mailer = mailer;
  }

  /** Sends {@code alert} in the background. */
  public void send(Alert alert) {
    log.info("alert: {} ({})", alert.subject(), alert.detail());
    sender.execute(() -> deliver(alert));
  }

  /** Sends an e-mail to the app's {@code key} addresses (such as {@code error_email}). */
  public void mail(String app, String key, String subject, String body) {
    sender.execute(
        () -> {
          try {
            String to = settings.of(app).get(key);
            if (to != null && !to.isBlank()) {
              mail(to, subject, body);
            }
          } catch (Exception e) {
            log.warn("cannot send '{}' to {}: {}", subject, key, e.toString());
          }
        });
  }

  private void deliver(Alert alert) {
    Map<String, String> s;
    try {
      s = settings.of(alert.app());
    } catch (Exception e) {
      log.warn("cannot read where alerts go: {}", e.toString());
      return;
    }
    String hook = s.get("alert_webhook");
    if (hook != null && !hook.isBlank()) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(hook.strip()))
                    .timeout(WEBHOOK_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body(alert))))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() >= 300) {
          log.warn("the alert webhook answered {} to {}", r.statusCode(), alert.subject());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("cannot post {} to the alert webhook: {}", alert.subject(), e.toString());
      }
    }
    String to = s.get("alert_email");
    if (to != null && !to.isBlank()) {
      try {
        mail(to, alert.subject(), text(alert));
      } catch (Exception e) {
        log.warn("cannot e-mail {}: {}", alert.subject(), e.toString());
      }
    }
  }

  private void mail(String to, String subject, String body) throws Exception {
    if (mailer.isEmpty()) {
      log.warn("'{}' is not e-mailed to {}: node.ini has no [smtp] section", subject, to);
      return;
    }
    mailer.get().send(to, subject, body);
  }

  /** The JSON the webhook gets: node, app, location, check, state, time, detail. */
  static Map<String, Object> body(Alert a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", a.node());
    m.put("app", a.app());
    m.put("location", a.location());
    m.put("check", a.check());
    m.put("state", a.state());
    m.put("time", a.time().toString());
    m.put("detail", a.detail());
    return m;
  }

  private static String text(Alert a) {
    return a.subject()
        + "\n\n"
        + a.detail()
        + "\n\nnode: "
        + a.node()
        + "\napp: "
        + (a.app() == null ? "-" : a.app())
        + "\nlocation: "
        + (a.location() == null ? "-" : a.location())
        + "\ntime: "
        + a.time()
        + "\n";
  }

  @Override
  public void close() {
    sender.shutdown();
    try {
      sender.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
