package org.silverlining.node.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import org.eclipse.jetty.server.Request;

/**
 * One line of {@code logs/security.log}: something a client did that looks like an attack or was
 * refused. Never carries a password or a token: {@code user} is the name a client gave, {@code
 * target} the path without its query (where tokens travel).
 *
 * @param time when, ISO-8601 UTC
 * @param client the client's address, as the socket saw it
 * @param kind what happened
 * @param method the request's method, {@code -} when there was no readable request
 * @param target the request's path without the query, {@code -} when there was none
 * @param detail what was wrong, in a few words
 * @param allowed true when the client is in {@code [security] allow}: recorded, never refused
 * @param user the user name a failed login gave, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecurityEvent(
    String time,
    String client,
    Kind kind,
    String method,
    String target,
    String detail,
    boolean allowed,
    String user) {
  /** The longest target or detail kept; the rest is cut off with {@code …}. */
  static final int MAX_TEXT = 300;

  /** What a security event is about; each has its name in the log. */
  public enum Kind {
    /** A failed login: HTTP Basic of the {@code password} pack, or the dashboard's. */
    BAD_LOGIN("bad-login"),
    /** A management API call without a valid token (401). */
    BAD_TOKEN("bad-token"),
    /** A path that climbs with {@code ..}, plain or encoded. */
    TRAVERSAL("traversal"),
    /**
     * A request for a path scanners look for ({@code /.env}, {@code /.git/}) that is not served.
     */
    PROBE("probe"),
    /** A request the HTTP parser refused (400, 431). */
    MALFORMED("malformed"),
    /** A request framed two ways at once (request smuggling), refused. */
    SMUGGLING("smuggling"),
    /** A request refused by the {@code ratelimit} pack (429). */
    RATE_LIMIT("rate-limit"),
    /** A request refused by the {@code allow} or {@code disable} pack, or a middleware (403). */
    REFUSED("refused"),
    /** A client banned after {@code ban_after} events. */
    BAN("ban"),
    /** A request refused because its client is banned (403). */
    BANNED("banned");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    @JsonValue
    public String text() {
      return text;
    }

    @JsonCreator
    public static Kind of(String text) {
      for (Kind k : values()) {
        if (k.text.equals(text)) {
          return k;
        }
      }
      throw new IllegalArgumentException("no security event kind '" + text + "'");
    }

    @Override
    public String toString() {
      return text;
    }
  }

  public SecurityEvent {
    method = shortened(method);
    target = shortened(target);
    detail = shortened(detail);
    user = user == null ? null : shortened(user);
  }

  /**
   * An event of {@code kind} about {@code request}, at the time the request arrived; {@code
   * allowed} is set when recorded.
   */
  public static SecurityEvent of(Kind kind, Request request, String detail) {
    return new SecurityEvent(
        Instant.ofEpochMilli(Request.getTimeStamp(request)).toString(),
        Request.getRemoteAddr(request),
        kind,
        request.getMethod(),
        request.getHttpURI().getPath(),
        detail,
        false,
        null);
  }

  /** An event without a readable request: only the client's address is known. */
  public static SecurityEvent of(Kind kind, String client, String detail) {
    return new SecurityEvent(Instant.now().toString(), client, kind, "-", "-", detail, false, null);
  }

  /** This event naming the user a failed login gave (never the password). */
  public SecurityEvent withUser(String name) {
    return new SecurityEvent(time, client, kind, method, target, detail, allowed, name);
  }

  SecurityEvent withAllowed(boolean a) {
    return new SecurityEvent(time, client, kind, method, target, detail, a, user);
  }

  private static String shortened(String text) {
    if (text == null) {
      return "-";
    }
    String t = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text;
    // a terminal that shows the log must not take escape sequences a client sent
    return t.replaceAll("\\p{Cntrl}", "?");
  }
}
