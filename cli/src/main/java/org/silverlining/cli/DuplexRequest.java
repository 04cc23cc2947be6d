package org.silverlining.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One HTTP/1.1 {@code POST} to the node whose request body is sent while its answer is read, for
 * {@code silver shell}: the JDK's clients send the whole body before they read the answer. The body
 * goes chunked, as it is written; the answer's body is read as it comes (chunked or not).
 */
final class DuplexRequest implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final BufferedInputStream in;

  private DuplexRequest(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new BufferedInputStream(socket.getInputStream());
  }

  /** Connects to {@code adminUrl} and sends the request's head. */
  static DuplexRequest open(String adminUrl, String token, String call, Map<String, String> params)
      throws IOException {
    URI base = URI.create(adminUrl);
    StringJoiner q = new StringJoiner("&", "?", "");
    q.setEmptyValue("");
    params.forEach(
        (k, v) -> {
          if (v != null) {
            q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
          }
        });
    int port = base.getPort() > 0 ? base.getPort() : 80;
    DuplexRequest r = new DuplexRequest(new Socket(base.getHost(), port));
    String head =
        "POST /api/v1/"
            + call
            + q
            + " HTTP/1.1\r\nHost: "
            + base.getHost()
            + ":"
            + port
            + "\r\nAuthorization: Bearer "
            + token
            + "\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n"
            + "Connection: close\r\n\r\n";
    r.out.write(head.getBytes(StandardCharsets.US_ASCII));
    r.out.flush();
    return r;
  }

  /** Sends {@code n} bytes of the body at once. */
  void send(byte[] buf, int n) throws IOException {
    if (n <= 0) {
      return;
    }
    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(buf, 0, n);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Ends the body. */
  void finish() throws IOException {
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** The answer's status, once its head has arrived. */
  record Answer(int status, InputStream body) {
    String text() throws IOException {
      return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Reads the answer's head; its body is read from {@link Answer#body} as it comes. */
  Answer answer() throws IOException {
    String status = line();
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("the node answered something that is not HTTP: " + status);
    }
    boolean chunked = false;
    long length = -1;
    String h;
    while (!(h = line()).isEmpty()) {
      int colon = h.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).strip();
      if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
      } else if (name.equals("content-length")) {
        length = Long.parseLong(value);
      }
    }
    InputStream body = chunked ? new Chunked() : length >= 0 ? limited(length) : in;
    return new Answer(Integer.parseInt(parts[1]), body);
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        b.write(c);
      }
    }
    if (c < 0 && b.size() == 0) {
      throw new IOException("the node closed the connection");
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  private InputStream limited(long length) {
    return new InputStream() {
      long left = length;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }
    };
  }

  /** A chunked body, decoded. */
  private final class Chunked extends InputStream {
    private long left;
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0) {
        String size = line();
        int semi = size.indexOf(';');
        left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
        if (left == 0) {
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new IOException("the node's answer ended inside a chunk");
      }
      left -= n;
      if (left == 0) {
        line(); // the CRLF after the chunk
      }
      return n;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
