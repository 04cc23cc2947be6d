package org.silverlining.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.ApiCall;
import org.silverlining.node.api.ApiJson;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.config.ConfigChange;
import org.silverlining.node.control.Locations;
import org.silverlining.node.control.NodeStatus;
import org.silverlining.node.deploy.DeployFailedException;
import org.silverlining.node.deploy.Deployer;
import org.silverlining.node.deploy.SwitchGate;
import org.silverlining.node.errors.ConflictException;
import org.silverlining.node.errors.InvalidParameterException;

/**
 * Deployments and configuration changes, the calls that answer with progress lines: {@code POST
 * deploy} (the upload is the body) and {@code POST config/apply}.
 */
final class DeployArea implements ApiArea {
  private final Deployer deployer;
  private final ConfigChanges changes;
  private final NodeStatus status;

  DeployArea(Deployer deployer, ConfigChanges changes, NodeStatus status) {
    this.deployer = deployer;
    this.changes = changes;
    this.status = status;
  }

  @Override
  public void addRoutes(Routes routes) {
    routes
        .post("deploy", this::deploy)
        .post("deploy/go", Endpoint.json(Held.class, (p, call) -> decided(p, true)))
        .post("deploy/abandon", Endpoint.json(Held.class, (p, call) -> decided(p, false)))
        .post("config/apply", this::apply);
  }

  /** The parameters of {@code POST deploy}. */
  record DeployParams(
      String app,
      String location,
      boolean replace,
      String sha256,
      String vcs,
      String config,
      String message,
      String revert,
      boolean delete,
      boolean hold,
      boolean skipFetches) {
    DeployParams {
      Params.required("app", app);
      Locations.key(Params.required("location", location));
      vcs = vcsOf(vcs);
      if (skipFetches && !hold) {
        throw new InvalidParameterException(
            "skip_fetches", "skip_fetches is for a held deployment of a nodeset: add hold");
      }
    }

    ConfigChanges.Asked asked() {
      return new ConfigChanges.Asked(location, config, message, revert, delete);
    }
  }

  /** The {@code vcs} parameter: a JSON object of at most 2 KiB, or {@code {}}. */
  private static String vcsOf(String v) {
    if (v == null || v.isBlank()) {
      return "{}";
    }
    try {
      if (v.length() > 2048 || !ApiJson.ANSWERS.readTree(v).isObject()) {
        throw new InvalidParameterException("vcs", "vcs must be a JSON object of at most 2 KiB");
      }
    } catch (JsonProcessingException e) {
      throw new InvalidParameterException("vcs", "vcs is not JSON: " + e.getOriginalMessage());
    }
    return v;
  }

  private void deploy(ApiCall call) throws Exception {
    DeployParams p = call.params(DeployParams.class);
    ConfigChanges.Asked asked = p.asked();
    Deployer.Request req =
        new Deployer.Request(p.app(), p.location(), p.replace(), p.sha256(), call.who(), p.vcs());
    try {
      deployer.admit(req);
    } catch (DeployFailedException e) {
      if (e.getMessage().startsWith("invalid location")) {
        throw new InvalidParameterException("location", e.getMessage());
      }
      throw new ConflictException(e.getMessage());
    }
    try {
      ConfigChange change = changes.of(asked);
      try (InputStream body = Content.Source.asInputStream(call.request())) {
        streamed(
            call,
            lines ->
                deployer.deploy(
                    req,
                    body,
                    change,
                    p.hold()
                        ? new SwitchGate.Hold(p.skipFetches(), id -> lines.send(Map.of("held", id)))
                        : null,
                    lines),
            req.location());
      }
    } finally {
      changes.discard(asked);
    }
  }

  /** The parameter of {@code POST deploy/go} and {@code deploy/abandon}: the held deployment. */
  record Held(Long deployment) {
    Held {
      if (deployment == null) {
        throw InvalidParameterException.missing("deployment");
      }
    }
  }

  private Map<String, Object> decided(Held p, boolean go) {
    if (go) {
      deployer.gate().go(p.deployment());
    } else {
      deployer.gate().abandon(p.deployment());
    }
    return Map.of("deployment", p.deployment(), "decision", go ? "switch" : "abandon");
  }

  /** The parameters of {@code POST config/apply}. */
  record ApplyParams(
      String location, String config, String message, String revert, boolean delete) {
    ApplyParams {
      Params.required("location", location);
    }
  }

  private void apply(ApiCall call) throws Exception {
    ApplyParams p = call.params(ApplyParams.class);
    ConfigChanges.Asked asked =
        new ConfigChanges.Asked(p.location(), p.config(), p.message(), p.revert(), p.delete());
    try {
      status.appAt(p.location()); // not found before the stream starts
      ConfigChange change = changes.of(asked);
      if (change.kind() == ConfigChange.Kind.KEEP) {
        throw new InvalidParameterException(
            "config", "say what to change: config, revert or delete");
      }
      streamed(
          call,
          lines -> deployer.reconfigure(p.location(), change, call.who(), lines),
          p.location());
    } finally {
      changes.discard(asked);
    }
  }

  /** Work that reports progress and names the instance it made live. */
  private interface ProgressWork {
    String run(ProgressLines progress) throws Exception;
  }

  /** Runs {@code work}, answering with its progress lines and a result line. */
  private void streamed(ApiCall call, ProgressWork work, String location) throws Exception {
    List<String> urls = status.urlsOf(location);
    try (ProgressLines lines = ProgressLines.start(call.response())) {
      try {
        String instance = work.run(lines);
        lines.send(Map.of("result", "ok", "instance", instance, "urls", urls));
      } catch (DeployFailedException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", "failed");
        m.put("stage", e.stage());
        m.put("error", e.getMessage());
        m.put("log", e.logTail());
        if (!e.undoProblems().isEmpty()) {
          m.put("undo_problems", e.undoProblems());
        }
        lines.send(m);
      } catch (Exception e) {
        lines.send(Map.of("result", "failed", "stage", "request", "error", String.valueOf(e)));
      }
    }
    call.callback().succeeded();
  }
}
