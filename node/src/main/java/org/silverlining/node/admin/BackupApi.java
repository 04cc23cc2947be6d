package org.silverlining.node.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.silverlining.core.BackupSettings;
import org.silverlining.node.Node;
import org.silverlining.node.backup.BackupArchive;
import org.silverlining.node.backup.BackupScheduler;
import org.silverlining.node.backup.BackupService;
import org.silverlining.node.backup.BackupStream;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.service.Services;
import org.silverlining.node.steps.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup calls of the management API: {@code GET backup} streams a backup of the app live at a
 * location as an archive, made while it is sent; {@code POST restore} restores an uploaded archive
 * or a checkpoint, answering with progress lines as a deployment does; {@code GET backups} lists
 * checkpoints and scheduled backups.
 */
final class BackupApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(BackupApi.class);
  private static final int SEND_BUFFER = 64 * 1024;
  private static final long LONG_IDLE = java.time.Duration.ofHours(2).toMillis();

  private final Node node;

  BackupApi(Node node) {
    this.node = node;
  }

  /**
   * {@code GET backup?location=[&format=tar.gz|tar.zst|tar|stream|folder]}: the archive, as it is
   * packed; for {@code stream}, a {@link BackupStream} sent while the backup is written; for {@code
   * folder}, no data but the backup folder's path under {@code uploads/} ({@code X-Silver-Folder},
   * URL-encoded), for a client on this machine to move where it wants it.
   */
  void download(Request request, Response response, Callback callback, Fields q) throws Exception {
    allowLongPauses(request);
    BackupService.Target t = node.liveServices(AdminApi.required(q, "location"));
    if (STREAM.equals(q.getValue("format"))) {
      List<Services.Bound> services = t.services().bind();
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, BackupStream.MEDIA_TYPE);
      response.getHeaders().put("X-Silver-App", t.app());
      try (OutputStream out =
          new BufferedOutputStream(Content.Sink.asOutputStream(response), SEND_BUFFER)) {
        node.backups().stream(t.app(), t.instance(), services, out);
      } catch (BackupException e) {
        log.warn("the backup of {} failed: {}", t.app(), e.getMessage()); // the stream says so
      }
      callback.succeeded();
      return;
    }
    if (FOLDER.equals(q.getValue("format"))) {
      long t0 = System.nanoTime();
      try (BackupService.Snapshot snapshot =
          node.backups().snapshot(t.app(), t.instance(), t.services().bind())) {
        log.info(
            "backup of {} written in {} ms, handed over as a folder",
            t.app(),
            (System.nanoTime() - t0) / 1_000_000);
        response.setStatus(200);
        response.getHeaders().put("X-Silver-App", t.app());
        response
            .getHeaders()
            .put(
                "X-Silver-Folder",
                java.net.URLEncoder.encode(
                    snapshot.handOver().toString(), java.nio.charset.StandardCharsets.UTF_8));
        response.write(true, java.nio.ByteBuffer.allocate(0), callback);
      } catch (BackupException e) {
        throw new ApiException(500, "the backup of " + t.app() + " failed: " + e.getMessage());
      }
      return;
    }
    BackupArchive.Compression c = compression(q);
    BackupService.Snapshot snapshot;
    long t0 = System.nanoTime();
    try {
      snapshot = node.backups().snapshot(t.app(), t.instance(), t.services().bind());
    } catch (BackupException e) {
      throw new ApiException(500, "the backup of " + t.app() + " failed: " + e.getMessage());
    }
    long t1 = System.nanoTime();
    try (snapshot) {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, c.mediaType());
      response.getHeaders().put("X-Silver-App", t.app());
      response.getHeaders().put("X-Silver-Files", snapshot.manifest().files().size());
      try (OutputStream out =
          new BufferedOutputStream(Content.Sink.asOutputStream(response), SEND_BUFFER)) {
        snapshot.writeTo(out, c);
      }
      callback.succeeded();
      log.info(
          "backup of {} sent: written in {} ms, packed ({}) and sent in {} ms",
          t.app(),
          (t1 - t0) / 1_000_000,
          c.suffix(),
          (System.nanoTime() - t1) / 1_000_000);
    }
  }

  private static final String STREAM = "stream";
  private static final String FOLDER = "folder";

  private static BackupArchive.Compression compression(Fields q) throws ApiException {
    String f = q.getValue("format");
    try {
      return f == null || f.isBlank()
          ? BackupArchive.Compression.GZIP
          : BackupArchive.Compression.named(f);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
  }

  /**
   * {@code POST restore?location=} with an archive as the body, or {@code ?location=&checkpoint=ID}
   * without one: progress lines, then {@code {"result": "ok", "checkpoint": ID, ...}} or {@code
   * {"result": "failed", "stage": ..., "error": ...}}.
   */
  void restore(Request request, Response response, Callback callback, Fields q) throws Exception {
    allowLongPauses(request);
    BackupService.Target t = node.liveServices(AdminApi.required(q, "location"));
    String checkpoint = q.getValue("checkpoint");
    if (checkpoint != null && node.backups().find(t.app(), checkpoint).isEmpty()) {
      throw new ApiException(
          404, "no checkpoint or scheduled backup '" + checkpoint + "' of " + t.app());
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
    try (OutputStream out = Content.Sink.asOutputStream(response);
        InputStream body = Content.Source.asInputStream(request)) {
      Lines lines = new Lines(out);
      try {
        BackupService.Restored r =
            checkpoint != null
                ? node.backups()
                    .restoreCheckpoint(
                        t.app(), t.instance(), t.services().bind(), checkpoint, lines)
                : node.backups().restore(t.app(), t.instance(), t.services().bind(), body, lines);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", "ok");
        m.put("app", t.app());
        m.put("location", t.location());
        m.put("checkpoint", r.checkpoint());
        m.put("services", r.services());
        m.put("from", r.backupFacts());
        lines.send(m);
      } catch (Exception e) {
        // Read what the client still sends, so that it gets to read this answer.
        drain(body);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", "failed");
        m.put("stage", lines.stage);
        m.put("error", e instanceof BackupException ? e.getMessage() : e.toString());
        lines.send(m);
      }
    }
    callback.succeeded();
  }

  /**
   * A backup of a large database is silent until it is written, and a restore's stages are long:
   * the connection may idle for longer than the connector's timeout, up to {@link #LONG_IDLE}.
   */
  private static void allowLongPauses(Request request) {
    request.getConnectionMetaData().getConnection().getEndPoint().setIdleTimeout(LONG_IDLE);
  }

  private static void drain(InputStream body) {
    try {
      body.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // the client went away
    }
  }

  /** {@code GET backups?location=}: the app's schedule, checkpoints and scheduled backups. */
  Map<String, Object> list(String location) throws Exception {
    BackupService.Target t = node.liveServices(location);
    BackupScheduler scheduler = node.backupScheduler();
    Optional<BackupSettings> s = BackupScheduler.settingsOf(t, scheduler.nodeDefaults());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("app", t.app());
    m.put("location", t.location());
    m.put("schedule", s.map(x -> x.schedule().get().text()).orElse(null));
    m.put("keep", s.map(BackupSettings::keep).orElse(null));
    m.put(
        "next", s.flatMap(x -> scheduler.nextDue(t.app(), x)).map(Instant::toString).orElse(null));
    m.put("services", t.services().bind().stream().map(b -> b.service().name()).sorted().toList());
    m.put("backups", node.backups().list(t.app()));
    return m;
  }

  /** Progress as JSON lines, flushed one by one; remembers the stage that runs. */
  private static final class Lines implements Progress {
    private final OutputStream out;
    volatile String stage = "request";

    Lines(OutputStream out) {
      this.out = out;
    }

    synchronized void send(Map<String, ?> m) {
      try {
        out.write(JSON.writeValueAsBytes(m));
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        // the client went away; the restore goes on, and its checkpoint is kept
      }
    }

    @Override
    public void started(String stage) {
      this.stage = stage;
      send(Map.of("stage", stage, "status", "started"));
    }

    @Override
    public void finished(String stage, long millis, String detail) {
      send(Map.of("stage", stage, "status", "done", "ms", millis, "detail", detail));
    }

    @Override
    public void note(String text) {
      send(Map.of("note", text));
    }
  }
}
