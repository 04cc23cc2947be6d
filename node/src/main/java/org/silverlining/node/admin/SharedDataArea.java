package org.silverlining.node.admin;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.ApiCall;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.backup.BackupService;
import org.silverlining.node.backup.Checkpoints;
import org.silverlining.node.backup.SharedDataCheckpoints;
import org.silverlining.node.control.Locations;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.service.NodesetServices;

/**
 * On a nodeset's services node, the checkpoints of the data it keeps for an app's app servers
 * ({@link SharedDataCheckpoints}): {@code POST services/checkpoint} takes one before a nodeset
 * update, {@code POST services/checkpoint/restore} puts one back, named by id (a failed update) or
 * by the location and the instance an update replaced (a rollback to that instance with its data);
 * {@code GET services/checkpoint} says which one that would be, changing nothing. Each answers once
 * done; a large database keeps the call silent that long.
 */
final class SharedDataArea implements ApiArea {
  private final BackupService backups;
  private final NodesetServices nodeset;

  SharedDataArea(BackupService backups, NodesetServices nodeset) {
    this.backups = backups;
    this.nodeset = nodeset;
  }

  private SharedDataCheckpoints checkpoints() {
    return new SharedDataCheckpoints(backups.checkpoints(), nodeset.provider());
  }

  record TakeParams(String app, String location, String replaced) {
    TakeParams {
      Params.required("app", app);
      location = Locations.key(Params.required("location", location));
      replaced = Params.optional(replaced);
    }
  }

  record RestoreParams(String app, String checkpoint, String location, String replaced) {
    RestoreParams {
      Params.required("app", app);
      checkpoint = Params.optional(checkpoint);
      if (checkpoint == null) {
        location = Locations.key(Params.required("location", location));
        Params.required("replaced", replaced);
      } else if (Params.optional(location) != null) {
        throw new InvalidParameterException(
            "location",
            "name a checkpoint, or a location and the instance replaced there: not both");
      }
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes
        .post("services/checkpoint", Endpoint.json(TakeParams.class, this::take))
        .post("services/checkpoint/restore", Endpoint.json(RestoreParams.class, this::restore))
        .get(
            "services/checkpoint",
            Endpoint.json(
                RestoreParams.class,
                (p, call) -> {
                  Checkpoints.Checkpoint c = chosen(checkpoints(), p);
                  return Map.of("app", p.app(), "checkpoint", c.id(), "reason", c.reason());
                }));
  }

  private Object take(TakeParams p, ApiCall call) throws Exception {
    BackupArea.allowLongPauses(call.request());
    Optional<Checkpoints.Checkpoint> c = checkpoints().take(p.app(), p.location(), p.replaced());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("app", p.app());
    out.put("checkpoint", c.map(Checkpoints.Checkpoint::id).orElse(null));
    out.put(
        "services", c.map(x -> List.copyOf(x.manifest().services().keySet())).orElse(List.of()));
    return out;
  }

  private Object restore(RestoreParams p, ApiCall call) throws Exception {
    BackupArea.allowLongPauses(call.request());
    SharedDataCheckpoints checkpoints = checkpoints();
    Checkpoints.Checkpoint c = chosen(checkpoints, p);
    long t0 = System.nanoTime();
    List<String> services = checkpoints.restore(c);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("app", p.app());
    out.put("restored", c.id());
    out.put("services", services);
    out.put("restore_ms", (System.nanoTime() - t0) / 1_000_000);
    return out;
  }

  /** The checkpoint {@code p} names, by id or by location and the instance replaced there. */
  private static Checkpoints.Checkpoint chosen(SharedDataCheckpoints checkpoints, RestoreParams p)
      throws IOException {
    return (p.checkpoint() != null
            ? checkpoints.find(p.app(), p.checkpoint())
            : checkpoints.before(p.app(), p.location(), p.replaced()))
        .orElseThrow(
            () ->
                new NotFoundException(
                    p.checkpoint() != null
                        ? "no checkpoint '" + p.checkpoint() + "' of " + p.app() + " here"
                        : "no checkpoint of "
                            + p.app()
                            + "'s data here from before an update at "
                            + p.location()
                            + " replaced "
                            + p.replaced()
                            + " (only the newest "
                            + SharedDataCheckpoints.KEEP
                            + " are kept)"));
  }
}
