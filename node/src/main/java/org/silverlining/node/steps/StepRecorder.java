package org.silverlining.node.steps;

/**
 * Where {@link StepsRunner} writes down an operation's stages as it goes, so that a node killed at
 * any moment finds what the interrupted operation may have changed: a stage is recorded before it
 * acts.
 */
public interface StepRecorder {
  /** Stage {@code step} is about to act; a failure here stops the operation before it does. */
  void started(String step) throws Exception;

  /** Stage {@code step} did its work in {@code millis}. */
  void ran(String step, long millis) throws Exception;

  /** The operation failed at {@code step}. Never throws: the failure itself must reach the user. */
  void failed(String step, String error);

  /** Records nothing. */
  StepRecorder NONE =
      new StepRecorder() {
        @Override
        public void started(String step) {}

        @Override
        public void ran(String step, long millis) {}

        @Override
        public void failed(String step, String error) {}
      };
}
