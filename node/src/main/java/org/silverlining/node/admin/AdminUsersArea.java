package org.silverlining.node.admin;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.ApiCall;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.control.AdminUsers;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.TooLargeException;

/**
 * The dashboard's admin users: {@code GET admin-users}, {@code POST admin-users/add?name=N} with
 * the password as the body (never in the URL, which logs keep), {@code POST
 * admin-users/remove?name=N}.
 */
final class AdminUsersArea implements ApiArea {
  /** The largest body taken: a password of the longest length in UTF-8, and a line end. */
  static final int MAX_BODY = AdminUsers.MAX_PASSWORD * 4 + 2;

  private final AdminUsers users;

  AdminUsersArea(AdminUsers users) {
    this.users = users;
  }

  record None() {}

  record AddParams(String name, boolean totp) {
    AddParams {
      Params.required("name", name);
    }
  }

  record NameParams(String name) {
    NameParams {
      Params.required("name", name);
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes
        .get("admin-users", Endpoint.json(None.class, (p, call) -> Map.of("users", users.list())))
        .post("admin-users/add", Endpoint.json(AddParams.class, this::add))
        .post(
            "admin-users/remove",
            Endpoint.json(
                NameParams.class,
                (p, call) -> {
                  users.remove(p.name());
                  return Map.of("name", p.name(), "removed", true);
                }));
  }

  private Object add(AddParams p, ApiCall call) throws Exception {
    char[] password = password(call);
    try {
      return users.add(p.name(), password, p.totp());
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** The body as the password: UTF-8, one line end at the end dropped. */
  private static char[] password(ApiCall call) throws Exception {
    byte[] b;
    try (InputStream in = Content.Source.asInputStream(call.request())) {
      b = in.readNBytes(MAX_BODY + 1);
    }
    try {
      if (b.length > MAX_BODY) {
        throw new TooLargeException(
            "a password is at most " + AdminUsers.MAX_PASSWORD + " characters");
      }
      CharBuffer chars;
      try {
        chars =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(b));
      } catch (CharacterCodingException e) {
        throw new InvalidParameterException("password", "the password is not UTF-8 text");
      }
      int end = chars.limit();
      if (end > 0 && chars.get(end - 1) == '\n') {
        end--;
      }
      if (end > 0 && chars.get(end - 1) == '\r') {
        end--;
      }
      char[] out = new char[end];
      chars.get(0, out);
      Arrays.fill(chars.array(), '\0');
      return out;
    } finally {
      Arrays.fill(b, (byte) 0);
    }
  }
}
