package org.silverlining.node.dashboard;

/**
 * Does what a form asked (its CSRF token already checked) and returns the path of the page to go to
 * next; {@link PageRequest#flash} says how it went there. A refusal it throws becomes an error page
 * of its status.
 */
@FunctionalInterface
public interface PageAction {
  String act(PageRequest request) throws Exception;
}
