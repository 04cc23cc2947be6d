package org.silverlining.node.dashboard;

/** Answers a {@code GET} with a page; a refusal it throws becomes an error page of its status. */
@FunctionalInterface
public interface PageView {
  Page render(PageRequest request) throws Exception;
}
