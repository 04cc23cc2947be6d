package org.silverlining.node.deploy;

/**
 * One stage of a deployment. Only {@link StepsRunner} calls these, in order; when a later stage
 * fails it calls {@link #undo} on every stage that completed, last first.
 */
public interface DeployStep {
  /** The stage's name as shown in progress and errors. */
  String name();

  /** Does the stage; returns a short description of what was done. */
  String run(Deployment d) throws Exception;

  /** Takes back what {@link #run} did. */
  default void undo(Deployment d) throws Exception {}
}
