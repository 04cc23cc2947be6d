package org.silverlining.node.steps;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records an operation's steps in the node's log, each before it acts: for operations whose every
 * change is itself one committed state change or revision (an activation), so that the log says
 * which was under way when a node stopped.
 */
public final class StepLog implements StepRecorder {
  private static final Logger log = LoggerFactory.getLogger(StepLog.class);

  private final String operation;

  /** {@code operation} names the operation in each line ("activate of www.example.com to ..."). */
  public StepLog(String operation) {
    this.operation = operation;
  }

  @Override
  public void started(String step) {
    log.info("{}: {}", operation, step);
  }

  @Override
  public void ran(String step, long millis) {
    log.debug("{}: {} done in {} ms", operation, step, millis);
  }

  @Override
  public void failed(String step, String error) {
    log.warn("{}: failed at {}: {}", operation, step, error);
  }
}
