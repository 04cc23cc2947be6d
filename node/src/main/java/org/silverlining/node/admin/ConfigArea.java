package org.silverlining.node.admin;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.silverlining.core.AppArchive;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.ApiCall;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.config.ConfigRejectedException;
import org.silverlining.node.config.ConfigUploads;
import org.silverlining.node.control.ConfigView;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.TooLargeException;
import org.silverlining.node.layout.Trees;

/**
 * Configuration: each app's revisions and their files, uploads staged for a deploy or {@code
 * config/apply}, and the node's global configuration.
 */
final class ConfigArea implements ApiArea {
  private final ConfigView configView;
  private final ConfigUploads uploads;
  private final Path scratch;

  /** {@code scratch}: where an archive of a revision is written before it is sent. */
  ConfigArea(ConfigView configView, ConfigUploads uploads, Path scratch) {
    this.configView = configView;
    this.uploads = uploads;
    this.scratch = scratch;
  }

  record None() {}

  record LocationParams(String location) {
    LocationParams {
      Params.required("location", location);
    }
  }

  /** A revision of the app at a location: a number, PREV, or the newest when not given. */
  record RevisionParams(String location, String revision) {
    RevisionParams {
      Params.required("location", location);
      revision = Params.optional(revision);
    }
  }

  record GlobalParams(String app, boolean showSecrets) {
    GlobalParams {
      app = Params.optional(app);
    }
  }

  record ChangeGlobalParams(String app, String key, String value, boolean unset, boolean secret) {
    ChangeGlobalParams {
      app = Params.optional(app);
      Params.required("key", key);
      if (unset) {
        value = null;
      } else if (value == null) {
        throw new InvalidParameterException(
            "value", "the parameter 'value' is required (or unset=true)");
      }
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes
        .post("config/stage", this::stage)
        .get(
            "config",
            Endpoint.json(LocationParams.class, (p, call) -> configView.history(p.location())))
        .get(
            "config/files",
            Endpoint.json(
                RevisionParams.class, (p, call) -> configView.files(p.location(), revision(p))))
        .get("config/archive", this::archive)
        .get(
            "global-config",
            Endpoint.json(
                GlobalParams.class, (p, call) -> configView.global(p.app(), p.showSecrets())))
        .post(
            "global-config",
            Endpoint.json(
                ChangeGlobalParams.class,
                (p, call) ->
                    configView.changeGlobal(p.app(), p.key(), p.value(), p.secret(), call.who())));
  }

  private int revision(RevisionParams p) throws Exception {
    return p.revision() == null
        ? 0
        : configView.revisionNamed(p.location(), "revision", p.revision());
  }

  private void stage(ApiCall call) throws Exception {
    call.params(None.class);
    String id;
    try (InputStream body = Content.Source.asInputStream(call.request())) {
      id = uploads.receive(body);
    } catch (ConfigRejectedException e) {
      throw new TooLargeException(e.getMessage());
    }
    call.json(Map.of("id", id));
  }

  private void archive(ApiCall call) throws Exception {
    RevisionParams p = call.params(RevisionParams.class);
    int revision = revision(p);
    Path tmp = Files.createTempDirectory(scratch, "dump-");
    try {
      Path tree = tmp.resolve("tree");
      configView.dump(p.location(), revision, tree);
      call.response().setStatus(200);
      call.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "application/gzip");
      try (OutputStream out = Content.Sink.asOutputStream(call.response())) {
        AppArchive.pack(tree, out);
      }
      call.callback().succeeded();
    } finally {
      Trees.delete(tmp);
    }
  }
}
