package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.silverlining.core.Nodeset;
import org.silverlining.node.control.Locations;

/**
 * The data a nodeset's services node keeps for an app, in a nodeset update: a checkpoint of it,
 * taken on the services node ({@code POST services/checkpoint}) before the first app server runs
 * {@code update_fetch} and {@code migrate_fetch}, and put back ({@link #restore}) when the update
 * fails before every app server switched ({@link #revert} when some had). The checkpoint names the
 * instance the update replaced on the first app server, by which {@code silver rollback
 * --restore-data} finds it. Without a services node, or when it keeps nothing for the app, there is
 * nothing to keep.
 */
final class SharedDataCheckpoint {
  private static final SharedDataCheckpoint NONE = new SharedDataCheckpoint(null, null, null);

  private final ApiClient db;
  private final String app;
  private final String id;

  private SharedDataCheckpoint(ApiClient db, String app, String id) {
    this.db = db;
    this.app = app;
    this.id = id;
  }

  /**
   * Takes the checkpoint of the data {@code set}'s services node keeps for {@code app}, before an
   * update at {@code location} whose first app server is {@code first}.
   */
  static SharedDataCheckpoint take(
      Nodeset set,
      NodesetUpdate update,
      ApiClient first,
      String app,
      String location,
      PrintStream out)
      throws IOException {
    if (set.services() == null) {
      return NONE;
    }
    ApiClient db = update.client(set.services());
    long t0 = System.nanoTime();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("app", app);
    params.put("location", location);
    String replaced = instanceAt(first, location, "active");
    if (replaced != null) {
      params.put("replaced", replaced);
    }
    JsonNode r;
    try {
      r = db.post("services/checkpoint", params);
    } catch (UserException e) {
      throw new UserException(
          "the services node "
              + set.services()
              + " cannot take a checkpoint of the data it keeps for "
              + app
              + " ("
              + e.getMessage()
              + "); no app server was changed. Fix that, then update again");
    }
    int services = r.path("services").size();
    out.printf(
        "  %-10s %-13s %-40s %6d ms%n",
        set.services(),
        "checkpoint",
        services == 0 ? "no databases" : r.path("checkpoint").asText() + " (shared data)",
        (System.nanoTime() - t0) / 1_000_000);
    return services == 0 ? NONE : new SharedDataCheckpoint(db, app, r.path("checkpoint").asText());
  }

  /**
   * The instance at {@code location} on {@code api}: {@code which} is {@code active} (live) or
   * {@code previous}; null when there is none.
   */
  static String instanceAt(ApiClient api, String location, String which) throws IOException {
    String key = Locations.key(location);
    for (JsonNode l : api.get("apps", Map.of()).path("locations")) {
      if (key.equals(l.path("location").asText())) {
        return l.path(which).isNull() ? null : l.path(which).asText(null);
      }
    }
    return null;
  }

  /**
   * After the new version went live on {@code switched} and failed on other app servers: rolls
   * {@code switched} back to the instance they ran before, then puts the data back, so that the old
   * version runs everywhere on the data it left. When one cannot be rolled back, the data stays as
   * the new version made it. What to add to the failure's message, which says how it went.
   */
  String revert(List<ApiClient> switched, String location) {
    StringBuilder b = new StringBuilder();
    List<String> stuck = new ArrayList<>();
    for (ApiClient api : switched) {
      try {
        JsonNode r = api.post("rollback", Map.of("location", location));
        b.append("\n")
            .append(api.node().name())
            .append(": rolled back, ")
            .append(r.path("active").asText())
            .append(" is live again.");
      } catch (RuntimeException | IOException e) {
        stuck.add(api.node().name());
        b.append("\n")
            .append(api.node().name())
            .append(": cannot roll back: ")
            .append(e.getMessage());
      }
    }
    if (stuck.isEmpty()) {
      return b.append(restore()).toString();
    }
    return b.append("\nThe new version stays live on ")
        .append(String.join(", ", stuck))
        .append(", so the data it wrote is kept. Run the same update again to bring every app")
        .append(" server to the same version.")
        .toString();
  }

  /** Whether there is data to put back. */
  boolean kept() {
    return id != null;
  }

  /**
   * Puts the data back as it was before the update; what to add to the failure's message, which
   * says how it went (nothing when there was nothing to keep).
   */
  String restore() {
    if (!kept()) {
      return "";
    }
    try {
      JsonNode r = db.post("services/checkpoint/restore", Map.of("app", app, "checkpoint", id));
      return "\nThe data the services node "
          + db.node().name()
          + " keeps for "
          + app
          + " was restored from checkpoint "
          + id
          + " ("
          + r.path("restore_ms").asLong()
          + " ms): what the update wrote there is gone.";
    } catch (RuntimeException | IOException e) {
      return "\nThe data the services node "
          + db.node().name()
          + " keeps for "
          + app
          + " could NOT be restored from checkpoint "
          + id
          + " ("
          + e.getMessage()
          + "); it is kept on that node, under backups/"
          + app
          + "/checkpoints/"
          + id
          + "/ in its root, a backup folder in the portable format.";
    }
  }
}
