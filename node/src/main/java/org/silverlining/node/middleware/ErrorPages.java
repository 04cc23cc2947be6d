package org.silverlining.node.middleware;

import java.nio.file.Path;

/**
 * What the {@code errors} pack adds to a chain: the page the client gets instead of a 5xx answer
 * from behind the chain (the app's own, or the front's when the app cannot be reached).
 */
public interface ErrorPages {
  /**
   * The answer sent instead of one with {@code status} (500 to 599) for the deployment in {@code
   * appDir} (null when none is known); it keeps that status.
   */
  Decision.Answer page(int status, Path appDir);
}
