package org.silverlining.node.api;

/** What answers one method on one path. It throws refusals; it writes only successful answers. */
@FunctionalInterface
public interface Endpoint {
  void serve(ApiCall call) throws Exception;

  /** A call whose answer is one JSON value. */
  @FunctionalInterface
  interface JsonAnswer<P> {
    Object answer(P params, ApiCall call) throws Exception;
  }

  /**
   * An endpoint that reads its parameters into a {@code type} record and answers with the JSON of
   * what {@code answer} returns, status 200.
   */
  static <P> Endpoint json(Class<P> type, JsonAnswer<P> answer) {
    return call -> call.json(answer.answer(call.params(type), call));
  }
}
