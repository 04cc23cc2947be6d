package org.silverlining.cli.e2e;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One HTTP/1.1 response read off a socket: fixed length, chunked, or up to the close. */
record HttpAnswer(int status, String body, boolean close) {
  static HttpAnswer read(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) {
      throw new EOFException("the connection was closed before a response");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).strip();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      while (true) {
        int size = Integer.parseInt(line(in).split(";")[0].strip(), 16);
        if (size == 0) {
          for (String t = line(in); t != null && !t.isEmpty(); t = line(in)) {
            // trailers
          }
          break;
        }
        body.write(exactly(in, size));
        line(in);
      }
    } else if (length >= 0) {
      body.write(exactly(in, (int) length));
    } else {
      body.write(in.readAllBytes());
      close = true;
    }
    return new HttpAnswer(status, body.toString(StandardCharsets.UTF_8).strip(), close);
  }

  private static byte[] exactly(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException("the body ended after " + b.length + " of " + n + " bytes");
    }
    return b;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        if (sb.length() == 0) {
          return null;
        }
        throw new EOFException("the connection was closed in the middle of a line");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }
}
