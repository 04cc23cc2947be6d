package org.silverlining.node.steps;

/**
 * One stage of a multi-step operation (an update, a restore, a rollback) on what the operation
 * knows, {@code C}. Only {@link StepsRunner} calls these, in order; when a later stage fails it
 * calls {@link #undo} on every stage that completed, last first.
 */
public interface Step<C> {
  /** The stage's name as shown in progress, records and errors. */
  String name();

  /** Does the stage; returns a short description of what was done. */
  String run(C context) throws Exception;

  /** Takes back what {@link #run} did. */
  default void undo(C context) throws Exception {}

  /**
   * Whether progress shows the stage: a quiet one (preparation the user never saw as a stage) is
   * still recorded and undone like the others.
   */
  default boolean shown() {
    return true;
  }
}
