package org.silverlining.node.steps;

import java.util.function.Consumer;

/**
 * Where a multi-step operation (an update, a restore) reports what it is doing, stage by stage (the
 * CLI prints it as it comes).
 */
public interface Progress {
  /** A stage begins. */
  void started(String stage);

  /** A stage ended well after {@code millis}; {@code detail} says what it did. */
  void finished(String stage, long millis, String detail);

  /** A line worth showing, such as a warning about app.ini. */
  void note(String text);

  Progress NONE =
      new Progress() {
        @Override
        public void started(String stage) {}

        @Override
        public void finished(String stage, long millis, String detail) {}

        @Override
        public void note(String text) {}
      };

  /**
   * {@code progress}, with each line also written to {@code journal} (the app's {@code
   * update.log}), beginning with {@code operation}: "update build: started", "update build: done in
   * 812 ms: DETAIL", "update note: TEXT".
   */
  static Progress journaled(String operation, Progress progress, Consumer<String> journal) {
    return new Progress() {
      @Override
      public void started(String stage) {
        journal.accept(operation + " " + stage + ": started");
        progress.started(stage);
      }

      @Override
      public void finished(String stage, long millis, String detail) {
        journal.accept(
            operation
                + " "
                + stage
                + ": done in "
                + millis
                + " ms"
                + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        progress.finished(stage, millis, detail);
      }

      @Override
      public void note(String text) {
        journal.accept(operation + " note: " + text);
        progress.note(text);
      }
    };
  }
}
