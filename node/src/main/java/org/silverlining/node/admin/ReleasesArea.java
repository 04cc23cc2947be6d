package org.silverlining.node.admin;

import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.control.NodeStatus;
import org.silverlining.node.control.Releases;

/**
 * Which instance serves each location: activate, deactivate, rollback, disable and enable, the
 * registry of deployments and the file manifest of an instance.
 */
final class ReleasesArea implements ApiArea {
  private final Releases releases;
  private final NodeStatus status;

  ReleasesArea(Releases releases, NodeStatus status) {
    this.releases = releases;
    this.status = status;
  }

  record ActivateParams(String location, String instance, boolean withConfig) {
    ActivateParams {
      Params.required("location", location);
      Params.required("instance", instance);
    }
  }

  record LocationParams(String location) {
    LocationParams {
      Params.required("location", location);
    }
  }

  /** An app named by {@code app}, or by a {@code location} it is deployed at. */
  record AppParams(String app, String location) {
    AppParams {
      app = Params.optional(app);
      if (app == null) {
        Params.required("location", location);
      }
    }
  }

  record RollbackParams(String location, String to, boolean restoreData, boolean withConfig) {
    RollbackParams {
      Params.required("location", location);
      to = Params.optional(to);
    }
  }

  record ManifestParams(String location, String instance) {
    ManifestParams {
      Params.required("location", location);
      instance = Params.optional(instance);
    }
  }

  record DeploymentsParams(String location, Integer limit) {
    DeploymentsParams {
      Params.required("location", location);
    }

    int rows() {
      return Math.max(1, limit == null ? 50 : limit);
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes
        .post(
            "activate",
            Endpoint.json(
                ActivateParams.class,
                (p, call) ->
                    releases.activate(p.location(), p.instance(), p.withConfig(), call.who())))
        .post(
            "deactivate",
            Endpoint.json(
                LocationParams.class, (p, call) -> releases.deactivate(p.location(), call.who())))
        .post(
            "disable",
            Endpoint.json(AppParams.class, (p, call) -> releases.setDisabled(appOf(p), true)))
        .post(
            "enable",
            Endpoint.json(AppParams.class, (p, call) -> releases.setDisabled(appOf(p), false)))
        .post(
            "rollback",
            Endpoint.json(
                RollbackParams.class,
                (p, call) ->
                    releases.rollback(
                        p.location(), p.to(), p.restoreData(), p.withConfig(), call.who())))
        .get(
            "manifest",
            Endpoint.json(
                ManifestParams.class, (p, call) -> releases.manifest(p.location(), p.instance())))
        .get(
            "deployments",
            Endpoint.json(
                DeploymentsParams.class,
                (p, call) -> releases.deployments(p.location(), p.rows())));
  }

  private String appOf(AppParams p) throws Exception {
    return p.app() != null ? p.app() : status.appAt(p.location());
  }
}
