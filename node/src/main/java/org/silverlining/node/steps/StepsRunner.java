package org.silverlining.node.steps;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the stages of a multi-step operation in order, timing and reporting each, and recording each
 * before it acts; when one fails, undoes the completed ones in reverse order, records the failure
 * and reports it with the stage's name. Updates, restores, rollbacks and activations all run here,
 * so only this class knows how stages are ordered, recorded and taken back.
 */
public final class StepsRunner {
  private static final Logger log = LoggerFactory.getLogger(StepsRunner.class);

  private StepsRunner() {}

  /**
   * Runs {@code steps} on {@code context}; {@code progress} sees the shown ones, {@code recorder}
   * all of them. Fails with the failing stage's name and failure once the stages before it are
   * undone.
   */
  public static <C> void run(
      List<? extends Step<? super C>> steps, C context, Progress progress, StepRecorder recorder)
      throws StepFailedException {
    run(null, steps, context, progress, recorder, null);
  }

  /**
   * As {@link #run(List, Object, Progress, StepRecorder)}, and writes the outcome to {@code
   * journal} (the app's {@code update.log}): "OPERATION ok in N ms" or "OPERATION failed at STAGE:
   * ERROR". The stages' own lines reach it through {@code progress}, made with {@link
   * Progress#journaled}. A null {@code journal} gets nothing.
   */
  public static <C> void run(
      String operation,
      List<? extends Step<? super C>> steps,
      C context,
      Progress progress,
      StepRecorder recorder,
      Consumer<String> journal)
      throws StepFailedException {
    if (journal == null) {
      runSteps(steps, context, progress, recorder);
      return;
    }
    long t0 = System.nanoTime();
    try {
      runSteps(steps, context, progress, recorder);
    } catch (StepFailedException e) {
      journal.accept(
          operation
              + " failed at "
              + e.step()
              + ": "
              + e.getMessage()
              + (e.undoProblems().isEmpty()
                  ? ""
                  : "; NOT undone: " + String.join("; ", e.undoProblems())));
      throw e;
    }
    journal.accept(operation + " ok in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
  }

  private static <C> void runSteps(
      List<? extends Step<? super C>> steps, C context, Progress progress, StepRecorder recorder)
      throws StepFailedException {
    Deque<Step<? super C>> done = new ArrayDeque<>();
    for (Step<? super C> step : steps) {
      if (step.shown()) {
        progress.started(step.name());
      }
      long t0 = System.nanoTime();
      try {
        recorder.started(step.name());
        String detail = step.run(context);
        done.push(step);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        recorder.ran(step.name(), millis);
        if (step.shown()) {
          progress.finished(step.name(), millis, detail);
        }
      } catch (Exception e) {
        String message = StepFailedException.messageOf(e);
        List<String> problems = undoAll(done, context);
        recorder.failed(
            step.name(),
            problems.isEmpty()
                ? message
                : message + "; NOT undone: " + String.join("; ", problems));
        throw new StepFailedException(step.name(), e, problems);
      }
    }
  }

  /** Undoes the completed steps, last first; returns what could not be undone. */
  private static <C> List<String> undoAll(Deque<Step<? super C>> done, C context) {
    List<String> problems = new ArrayList<>();
    while (!done.isEmpty()) {
      Step<? super C> step = done.pop();
      try {
        step.undo(context);
      } catch (Exception e) {
        log.error("could not undo {}: {}", step.name(), e.toString());
        problems.add(step.name() + ": " + StepFailedException.messageOf(e));
      }
    }
    return problems;
  }
}
