package org.silverlining.node.middleware;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What a pack, or a whole chain, decided about a request. */
public sealed interface Decision {
  /** Passes the request on, unchanged and without extra headers. */
  Pass PASS = new Pass(List.of(), List.of());

  /**
   * Passes the request on.
   *
   * @param toUpstream headers set on (or removed from) the request the app or the files see
   * @param toClient headers set on the answer, whoever gives it
   */
  record Pass(List<Header> toUpstream, List<Header> toClient) implements Decision {
    public Pass {
      toUpstream = List.copyOf(toUpstream);
      toClient = List.copyOf(toClient);
    }

    /** Passes with {@code toClient} headers on the answer. */
    public static Pass withResponseHeaders(List<Header> toClient) {
      return new Pass(List.of(), toClient);
    }

    /** This decision followed by {@code next}'s: later packs' headers come after earlier ones. */
    Pass then(Pass next) {
      if (next == PASS) {
        return this;
      }
      if (this == PASS) {
        return next;
      }
      return new Pass(concat(toUpstream, next.toUpstream), concat(toClient, next.toClient));
    }
  }

  /**
   * Answers the client without passing the request on.
   *
   * @param headers the answer's headers ({@code Content-Type} among them when there is a body)
   * @param event what the security log records of this refusal, or null
   */
  record Answer(int status, List<Header> headers, byte[] body, Refusal event) implements Decision {
    public Answer {
      headers = List.copyOf(headers);
    }

    /** A short plain-text answer. */
    public static Answer text(int status, String text, Refusal event, Header... headers) {
      List<Header> all = new ArrayList<>(List.of(headers));
      all.add(new Header("Content-Type", "text/plain; charset=utf-8"));
      return new Answer(status, all, (text + "\n").getBytes(StandardCharsets.UTF_8), event);
    }

    /** This answer with {@code extra} headers (from packs before it) added first. */
    Answer withHeaders(List<Header> extra) {
      return extra.isEmpty() ? this : new Answer(status, concat(extra, headers), body, event);
    }
  }

  private static List<Header> concat(List<Header> a, List<Header> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    List<Header> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
