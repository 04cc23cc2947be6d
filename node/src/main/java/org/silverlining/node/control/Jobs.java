package org.silverlining.node.control;

import java.io.IOException;
import java.util.LinkedHashMap;
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

  /** The cron jobs of the app live at {@code location}, with their next and last runs. */
  public Map<String, Object> cronJobs(String location) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    return Map.of("location", r.location(), "app", r.app(), "jobs", cron.describe(r.location()));
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

  /** Queues dead task {@code id} of {@code location} again. */
  public Map<String, Object> retryTask(String location, long id) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    if (!tasks.retry(r.location(), id)) {
      throw new NotFoundException("no dead task " + id + " at " + r.location());
    }
    return Map.of("location", r.location(), "id", id, "state", "queued");
  }

  /** Drops the queued and dead tasks of {@code queue} at {@code location}. */
  public Map<String, Object> purgeQueue(String location, String queue) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    int purged = tasks.purge(r.location(), queue);
    return Map.of("location", r.location(), "queue", queue, "purged", purged);
  }
}
