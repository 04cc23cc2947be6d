package org.silverlining.node.admin;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.ApiCall;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.backup.BackupArchive;
import org.silverlining.node.backup.BackupService;
import org.silverlining.node.backup.BackupStream;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.control.Backups;
import org.silverlining.node.control.LiveApps;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.service.NodesetServices;
import org.silverlining.node.service.Services;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup calls of the management API: {@code GET backup} streams a backup of the app live at a
 * location as an archive, made while it is sent; {@code POST restore} restores an uploaded archive
 * or a checkpoint, answering with progress lines as a deployment does; {@code GET backups} lists
 * checkpoints and scheduled backups. On a nodeset's services node, {@code GET services/backup}
 * streams a backup of the data it keeps for an app's app servers, in the same forms.
 */
final class BackupArea implements ApiArea {
  private static final Logger log = LoggerFactory.getLogger(BackupArea.class);
  private static final int SEND_BUFFER = 64 * 1024;
  private static final long LONG_IDLE = java.time.Duration.ofHours(2).toMillis();

  private final LiveApps liveApps;
  private final BackupService backups;
  private final Backups listing;
  private final NodesetServices nodeset;

  BackupArea(LiveApps liveApps, BackupService backups, Backups listing, NodesetServices nodeset) {
    this.liveApps = liveApps;
    this.backups = backups;
    this.listing = listing;
    this.nodeset = nodeset;
  }

  record DownloadParams(String location, String format) {
    DownloadParams {
      Params.required("location", location);
      format = Params.optional(format);
    }
  }

  record RestoreParams(String location, String checkpoint) {
    RestoreParams {
      Params.required("location", location);
      checkpoint = Params.optional(checkpoint);
    }
  }

  record ProvidedParams(String app, String format) {
    ProvidedParams {
      Params.required("app", app);
      format = Params.optional(format);
    }
  }

  record LocationParams(String location) {
    LocationParams {
      Params.required("location", location);
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes
        .get("backup", this::download)
        .get("services/backup", this::downloadProvided)
        .post("restore", this::restore)
        .get(
            "backups",
            Endpoint.json(LocationParams.class, (p, call) -> listing.list(p.location())));
  }

  /**
   * {@code GET backup?location=[&format=tar.gz|tar.zst|tar|stream|folder]}: the archive, as it is
   * packed; for {@code stream}, a {@link BackupStream} sent while the backup is written; for {@code
   * folder}, no data but the backup folder's path under {@code uploads/} ({@code X-Silver-Folder},
   * URL-encoded), for a client on this machine to move where it wants it.
   */
  private void download(ApiCall call) throws Exception {
    DownloadParams p = call.params(DownloadParams.class);
    send(call, liveApps.at(p.location()), p.format());
  }

  /**
   * {@code GET services/backup?app=[&format=]}: as {@code GET backup}, of the services this node
   * provides for {@code app}'s app servers elsewhere.
   */
  private void downloadProvided(ApiCall call) throws Exception {
    ProvidedParams p = call.params(ProvidedParams.class);
    List<Services.Bound> services = nodeset.provider().provided(p.app());
    send(call, new BackupService.Target(null, p.app(), null, Map.of(), () -> services), p.format());
  }

  private void send(ApiCall call, BackupService.Target t, String format) throws Exception {
    Request request = call.request();
    Response response = call.response();
    Callback callback = call.callback();
    allowLongPauses(request);
    if (STREAM.equals(format)) {
      List<Services.Bound> services = t.services().bind();
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, BackupStream.MEDIA_TYPE);
      response.getHeaders().put("X-Silver-App", t.app());
      try (OutputStream out =
          new BufferedOutputStream(Content.Sink.asOutputStream(response), SEND_BUFFER)) {
        backups.stream(t.app(), t.instance(), services, out);
      } catch (BackupException e) {
        log.warn("the backup of {} failed: {}", t.app(), e.getMessage()); // the stream says so
      }
      callback.succeeded();
      return;
    }
    if (FOLDER.equals(format)) {
      long t0 = System.nanoTime();
      try (BackupService.Snapshot snapshot =
          backups.snapshot(t.app(), t.instance(), t.services().bind())) {
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
        throw new IOException("the backup of " + t.app() + " failed: " + e.getMessage(), e);
      }
      return;
    }
    BackupArchive.Compression c = compression(format);
    BackupService.Snapshot snapshot;
    long t0 = System.nanoTime();
    try {
      snapshot = backups.snapshot(t.app(), t.instance(), t.services().bind());
    } catch (BackupException e) {
      throw new IOException("the backup of " + t.app() + " failed: " + e.getMessage(), e);
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

  private static BackupArchive.Compression compression(String f) {
    try {
      return f == null ? BackupArchive.Compression.GZIP : BackupArchive.Compression.named(f);
    } catch (IllegalArgumentException e) {
      throw new InvalidParameterException("format", e.getMessage());
    }
  }

  /**
   * {@code POST restore?location=} with an archive as the body, or {@code ?location=&checkpoint=ID}
   * without one: progress lines, then {@code {"result": "ok", "checkpoint": ID, ...}} or {@code
   * {"result": "failed", "stage": ..., "error": ...}}.
   */
  private void restore(ApiCall call) throws Exception {
    RestoreParams p = call.params(RestoreParams.class);
    allowLongPauses(call.request());
    BackupService.Target t = liveApps.at(p.location());
    String checkpoint = p.checkpoint();
    if (checkpoint != null && backups.find(t.app(), checkpoint).isEmpty()) {
      throw new NotFoundException(
          "no checkpoint or scheduled backup '" + checkpoint + "' of " + t.app());
    }
    try (ProgressLines lines = ProgressLines.start(call.response());
        InputStream body = Content.Source.asInputStream(call.request())) {
      try {
        BackupService.Restored r =
            checkpoint != null
                ? backups.restoreCheckpoint(
                    t.app(), t.instance(), t.services().bind(), checkpoint, lines)
                : backups.restore(t.app(), t.instance(), t.services().bind(), body, lines);
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
        m.put("stage", lines.stage());
        m.put("error", e instanceof BackupException ? e.getMessage() : e.toString());
        lines.send(m);
      }
    }
    call.callback().succeeded();
  }

  /**
   * A backup of a large database is silent until it is written, and a restore's stages are long:
   * the connection may idle for longer than the connector's timeout, up to {@link #LONG_IDLE}.
   */
  static void allowLongPauses(Request request) {
    request.getConnectionMetaData().getConnection().getEndPoint().setIdleTimeout(LONG_IDLE);
  }

  private static void drain(InputStream body) {
    try {
      body.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // the client went away
    }
  }
}
