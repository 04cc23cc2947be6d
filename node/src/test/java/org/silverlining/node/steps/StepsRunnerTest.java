package org.silverlining.node.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepsRunnerTest {
  /** What the steps and the recorder saw, in order. */
  private final List<String> events = new ArrayList<>();

  private Step<List<String>> step(String name, Exception failure, Exception undoFailure) {
    return new Step<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String run(List<String> seen) throws Exception {
        seen.add("run " + name);
        if (failure != null) {
          throw failure;
        }
        return name + " done";
      }

      @Override
      public void undo(List<String> seen) throws Exception {
        seen.add("undo " + name);
        if (undoFailure != null) {
          throw undoFailure;
        }
      }
    };
  }

  private final StepRecorder recorder =
      new StepRecorder() {
        @Override
        public void started(String step) {
          events.add("record " + step);
        }

        @Override
        public void ran(String step, long millis) {
          events.add("ran " + step);
        }

        @Override
        public void failed(String step, String error) {
          events.add("failed " + step + ": " + error);
        }
      };

  @Test
  void aStepIsRecordedBeforeItActsAndAFailureUndoesTheCompletedOnesInReverse() {
    Exception boom = new IllegalStateException("disk full");
    StepFailedException e =
        assertThrows(
            StepFailedException.class,
            () ->
                StepsRunner.run(
                    List.of(step("a", null, null), step("b", null, null), step("c", boom, null)),
                    events,
                    Progress.NONE,
                    recorder));
    assertEquals("c", e.step());
    assertEquals("disk full", e.getMessage());
    assertSame(boom, e.failure());
    assertEquals(List.of(), e.undoProblems());
    assertEquals(
        List.of(
            "record a",
            "run a",
            "ran a",
            "record b",
            "run b",
            "ran b",
            "record c",
            "run c",
            "undo b",
            "undo a",
            "failed c: disk full"),
        events);
  }

  @Test
  void whatCouldNotBeUndoneIsNamedAndTheRestIsStillUndone() {
    StepFailedException e =
        assertThrows(
            StepFailedException.class,
            () ->
                StepsRunner.run(
                    List.of(
                        step("a", null, null),
                        step("b", null, new IllegalStateException("stuck")),
                        step("c", new IllegalStateException("broken"), null)),
                    events,
                    Progress.NONE,
                    recorder));
    assertEquals(List.of("b: stuck"), e.undoProblems());
    assertEquals("failed c: broken; NOT undone: b: stuck", events.get(events.size() - 1));
    assertEquals(List.of("undo b", "undo a"), events.subList(8, 10));
  }

  @Test
  void progressSeesTheShownStepsOnlyAndTheRecorderAll() throws Exception {
    Step<List<String>> quiet =
        new Step<>() {
          @Override
          public String name() {
            return "prepare";
          }

          @Override
          public String run(List<String> seen) {
            return "";
          }

          @Override
          public boolean shown() {
            return false;
          }
        };
    List<String> shown = new ArrayList<>();
    Progress progress =
        new Progress() {
          @Override
          public void started(String stage) {
            shown.add("started " + stage);
          }

          @Override
          public void finished(String stage, long millis, String detail) {
            shown.add("finished " + stage + ": " + detail);
          }

          @Override
          public void note(String text) {}
        };
    StepsRunner.run(List.of(quiet, step("a", null, null)), events, progress, recorder);
    assertEquals(List.of("started a", "finished a: a done"), shown);
    assertEquals(List.of("record prepare", "ran prepare", "record a", "run a", "ran a"), events);
  }

  @Test
  void theJournalGetsEachShownStageAndTheOutcome() throws Exception {
    List<String> journal = new ArrayList<>();
    StepsRunner.run(
        "update",
        List.of(step("a", null, null)),
        events,
        Progress.journaled("update", Progress.NONE, journal::add),
        recorder,
        journal::add);
    assertEquals(3, journal.size(), journal.toString());
    assertEquals("update a: started", journal.get(0));
    assertTrue(journal.get(1).matches("update a: done in \\d+ ms: a done"), journal.get(1));
    assertTrue(journal.get(2).matches("update ok in \\d+ ms"), journal.get(2));

    journal.clear();
    assertThrows(
        StepFailedException.class,
        () ->
            StepsRunner.run(
                "rollback",
                List.of(step("a", null, null), step("b", new IllegalStateException("no"), null)),
                events,
                Progress.journaled("rollback", Progress.NONE, journal::add),
                recorder,
                journal::add));
    assertEquals("rollback failed at b: no", journal.get(journal.size() - 1));
  }
}
