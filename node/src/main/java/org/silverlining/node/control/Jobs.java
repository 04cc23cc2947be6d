package org.silverlining.node.control;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.silverlining.node.cron.CronLeadership;
import org.silverlining.node.cron.CronScheduler;
import org.silverlining.node.errors.ConflictException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.state.StateStore;
import org.silverlining.node.tasks.TaskDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cron jobs and task queues of each location, as the management API sees and runs them. */
public final class Jobs {
  private static final Logger log = LoggerFactory.getLogger(Jobs.class);
  private final Locations locations;
  private final CronScheduler cron;
  private final TaskDispatcher tasks;

  public Jobs(Locations locations, CronScheduler cron, TaskDispatcher tasks) {
    this.locations = locations;
    this.cron = cron;
    this.tasks = tasks;
  }

  /** Which nodesets' cron jobs this node runs, as their leader. */
  public CronLeadership cronLeadership() {
    return cron.leadership();
  }

  /**
   * What {@link #joinNodeset} did with the location's tasks: how many (queued or dead) moved to the
   * nodeset's Redis, or why they could not (null when they could; the dispatcher tries again).
   */
  public record Joined(int tasksMoved, String tasksError) {}

  /**
   * Makes {@code location} a location of the nodeset {@code nodeset}, whose Redis is at {@code
   * redis}: its cron jobs run once per nodeset, and its tasks are kept in that Redis, where any app
   * server of the nodeset delivers them, the ones kept in this node's store moved there.
   */
  public Joined joinNodeset(String nodeset, String location, String redis) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    cron.leadership().join(nodeset, location, redis);
    try {
      return new Joined(tasks.share(nodeset, r.app(), r.location(), redis), null);
    } catch (IOException e) {
      return new Joined(0, e.getMessage());
    }
  }

  /**
   * On start: the tasks of each location of a nodeset go on being kept in the nodeset's Redis. One
   * whose Redis cannot be reached keeps them in this node's store until the task dispatcher, which
   * tries again every {@code TaskDispatcher.RETRY_SHARES_EVERY}, moves them there.
   */
  public void shareNodesetTasks() {
    for (CronLeadership.Membership m : cron.leadership().memberships()) {
      try {
        StateStore.LocationRecord r = locations.record(m.location());
        tasks.share(m.nodeset(), r.app(), r.location(), m.redis());
      } catch (Exception e) {
        log.warn(
            "the tasks of {} stay in this node's store until the nodeset {}'s Redis answers: {}",
            m.location(),
            m.nodeset(),
            e.getMessage());
      }
    }
  }

  /** The cron jobs of a location's app, each with its schedule, next run and last run. */
  public record CronJobs(String location, String app, List<Map<String, Object>> jobs) {}

  /** The cron jobs of the app live at {@code location}, with their next and last runs. */
  public CronJobs cronJobs(String location) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    return new CronJobs(r.location(), r.app(), cron.describe(r.location()));
  }

  /** Runs cron job {@code job} of {@code location} now and returns the run's record. */
  public StateStore.CronRunRecord runCronJob(String location, String job) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    try {
      return cron.runNow(r.location(), job);
    } catch (IOException e) {
      throw new NotFoundException(e.getMessage());
    } catch (IllegalStateException e) {
      throw new ConflictException(e.getMessage());
    }
  }

  /** The task queues of the app live at {@code location}: counts by state, recent failures. */
  public Map<String, Object> taskQueues(String location) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("location", r.location());
    m.put("app", r.app());
    m.putAll(tasks.describe(r.location()));
    return m;
  }

  /** A dead task queued again. */
  public record Retried(String location, long id, String state) {}

  /** Queues dead task {@code id} of {@code location} again. */
  public Retried retryTask(String location, long id) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    if (!tasks.retry(r.location(), id)) {
      throw new NotFoundException("no dead task " + id + " at " + r.location());
    }
    return new Retried(r.location(), id, "queued");
  }

  /** How many tasks a purge dropped from a queue. */
  public record Purged(String location, String queue, int purged) {}

  /** Drops the queued and dead tasks of {@code queue} at {@code location}. */
  public Purged purgeQueue(String location, String queue) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    int purged = tasks.purge(r.location(), queue);
    return new Purged(r.location(), queue, purged);
  }
}
