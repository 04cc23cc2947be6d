package org.silverlining.node.backup;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.service.ServiceException;
import org.silverlining.node.service.ServiceProvider;
import org.silverlining.node.service.Services;

/**
 * On a nodeset's services node: the checkpoints of the data it keeps for an app's app servers,
 * taken before a nodeset update and put back when that update fails, or by a rollback with its
 * data. They are this node's usual {@link Checkpoints}, of the services it {@linkplain
 * ServiceProvider#provided provides} for the app, with two facts: the {@code location} updated and
 * the instance the update {@code replaced} there (empty for a first deployment), by which a
 * rollback to that instance finds the data it left.
 */
public final class SharedDataCheckpoints {
  /** How the reason of every such checkpoint starts; the location follows. */
  public static final String REASON = "before nodeset update at ";

  /**
   * Such checkpoints kept per app: as many as the instances an app server keeps (the deploy
   * pipeline's prune step), one for each instance a rollback can go back to.
   */
  public static final int KEEP = 5;

  private static final String LOCATION = "location";
  private static final String REPLACED = "replaced";

  private final Checkpoints checkpoints;
  private final ServiceProvider provider;

  public SharedDataCheckpoints(Checkpoints checkpoints, ServiceProvider provider) {
    this.checkpoints = checkpoints;
    this.provider = provider;
  }

  /**
   * Takes a checkpoint of the data this node keeps for {@code app}, before an update at {@code
   * location} that replaces {@code replaced} (null: none), and deletes the oldest such ones beyond
   * {@link #KEEP}; none when this node keeps no data for the app (an app without databases).
   */
  public Optional<Checkpoints.Checkpoint> take(String app, String location, String replaced)
      throws IOException, BackupException, ServiceException {
    List<Services.Bound> services = provider.provided(app);
    if (services.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> facts = new TreeMap<>();
    facts.put(LOCATION, location);
    facts.put(REPLACED, replaced == null ? "" : replaced);
    Checkpoints.Checkpoint c = checkpoints.take(app, services, REASON + location, facts);
    checkpoints.prune(app, REASON, KEEP);
    return Optional.of(c);
  }

  /** The checkpoint {@code id} of {@code app}'s data here. */
  public Optional<Checkpoints.Checkpoint> find(String app, String id) throws IOException {
    return checkpoints.find(app, id);
  }

  /**
   * The newest checkpoint taken before an update at {@code location} replaced {@code replaced}: the
   * data as that instance left it.
   */
  public Optional<Checkpoints.Checkpoint> before(String app, String location, String replaced)
      throws IOException {
    return checkpoints.list(app).stream() // newest first
        .filter(c -> c.reason().startsWith(REASON))
        .filter(c -> location.equals(c.manifest().facts().get(LOCATION)))
        .filter(c -> replaced.equals(c.manifest().facts().get(REPLACED)))
        .findFirst();
  }

  /** Puts checkpoint {@code c} back into the services this node provides for its app. */
  public List<String> restore(Checkpoints.Checkpoint c)
      throws IOException, BackupException, ServiceException {
    List<Services.Bound> bound = provider.provided(c.app());
    checkpoints.restore(c, bound);
    return bound.stream().map(b -> b.service().name()).toList();
  }
}
