package org.silverlining.node.control;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.silverlining.node.cron.CronScheduler;
import org.silverlining.node.errors.ConflictException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.state.StateStore;
import org.silverlining.node.tasks.TaskDispatcher;

/** The cron jobs and task queues of each location, as the management API sees and runs them. */
public final class Jobs {
  private final Locations locations;
  private final CronScheduler cron;
  private final TaskDispatcher tasks;

  public Jobs(Locations locations, CronScheduler cron, TaskDispatcher tasks) {
    this.locations = locations;
    this.cron = cron;
    this.tasks = tasks;
  }

  /** Which nodesets' cron jobs this node runs, as their leader. */
  public org.silverlining.node.cron.CronLeadership cronLeadership() {
    return cron.leadership();
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
