package org.silverlining.node.steps;

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
}
