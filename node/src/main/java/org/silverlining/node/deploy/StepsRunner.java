package org.silverlining.node.deploy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.silverlining.node.process.StartFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs deployment stages in order, timing and reporting each, and recording each in the deployment
 * registry before it acts; when one fails, undoes the completed ones in reverse order, records the
 * failure and reports it with the stage's name.
 */
public final class StepsRunner {
  private static final Logger log = LoggerFactory.getLogger(StepsRunner.class);

  private StepsRunner() {}

  public static void run(List<DeployStep> steps, Deployment d) throws DeployFailedException {
    Deque<DeployStep> done = new ArrayDeque<>();
    for (DeployStep step : steps) {
      d.progress.started(step.name());
      long t0 = System.nanoTime();
      try {
        if (d.recorder != null) {
          d.recorder.started(step.name());
        }
        String detail = step.run(d);
        done.push(step);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (d.recorder != null) {
          d.recorder.ran(d, step.name(), millis);
        }
        d.progress.finished(step.name(), millis, detail);
      } catch (Exception e) {
        List<String> tail =
            e instanceof StartFailedException s
                ? s.logTail()
                : e instanceof DeployFailedException f ? f.logTail() : List.of();
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        log.warn("deployment of {} failed at {}: {}", d.app, step.name(), message);
        List<String> problems = undoAll(done, d);
        if (d.recorder != null) {
          d.recorder.failed(
              step.name(),
              problems.isEmpty()
                  ? message
                  : message + "; NOT undone: " + String.join("; ", problems));
        }
        throw new DeployFailedException(step.name(), message, tail, problems);
      }
    }
  }

  /** Undoes the completed steps, last first; returns what could not be undone. */
  private static List<String> undoAll(Deque<DeployStep> done, Deployment d) {
    List<String> problems = new java.util.ArrayList<>();
    while (!done.isEmpty()) {
      DeployStep step = done.pop();
      try {
        step.undo(d);
      } catch (Exception e) {
        log.error("could not undo {} of {}: {}", step.name(), d.app, e.toString());
        problems.add(step.name() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      }
    }
    return problems;
  }
}
