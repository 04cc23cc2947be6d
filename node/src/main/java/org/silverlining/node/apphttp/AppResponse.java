package org.silverlining.node.apphttp;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;

/**
 * An app's answer: its status, headers, the last bytes of its body the request asked to keep
 * ({@link AppRequest#keepBodyBytes}) and the body's whole length.
 */
public record AppResponse(int status, HttpFields headers, byte[] bodyTail, long bodyLength) {
  /** Whether the status is 2xx. */
  public boolean ok() {
    return status / 100 == 2;
  }

  /** The kept end of the body as UTF-8 text. */
  public String bodyText() {
    return new String(bodyTail, StandardCharsets.UTF_8);
  }
}
