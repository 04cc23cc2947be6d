package org.silverlining.node.admin;

import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.control.Jobs;
import org.silverlining.node.errors.InvalidParameterException;

/** Cron jobs and task queues of a location: list, run a job now, retry a task, purge a queue. */
final class JobsArea implements ApiArea {
  private final Jobs jobs;

  JobsArea(Jobs jobs) {
    this.jobs = jobs;
  }

  record LocationParams(String location) {
    LocationParams {
      Params.required("location", location);
    }
  }

  record RunParams(String location, String job) {
    RunParams {
      Params.required("location", location);
      Params.required("job", job);
    }
  }

  record RetryParams(String location, Long id) {
    RetryParams {
      Params.required("location", location);
      if (id == null) {
        throw new InvalidParameterException(
            "id", "the parameter 'id' is required: a task id, as silver tasks shows it");
      }
    }
  }

  record PurgeParams(String location, String queue) {
    PurgeParams {
      Params.required("location", location);
      Params.required("queue", queue);
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes
        .get("cron", Endpoint.json(LocationParams.class, (p, c) -> jobs.cronJobs(p.location())))
        .post(
            "cron/run",
            Endpoint.json(RunParams.class, (p, c) -> jobs.runCronJob(p.location(), p.job())))
        .get("tasks", Endpoint.json(LocationParams.class, (p, c) -> jobs.taskQueues(p.location())))
        .post(
            "tasks/retry",
            Endpoint.json(RetryParams.class, (p, c) -> jobs.retryTask(p.location(), p.id())))
        .post(
            "tasks/purge",
            Endpoint.json(PurgeParams.class, (p, c) -> jobs.purgeQueue(p.location(), p.queue())));
  }
}
