package org.silverlining.node.fastcgi;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One FastCGI request to a responder (php-fpm) on {@code 127.0.0.1:PORT}, written from the FastCGI
 * 1.0 specification: {@code BEGIN_REQUEST}, the parameters, the body as {@code STDIN}; the answer's
 * {@code STDOUT} is a CGI response (headers, an empty line, the body), read as it comes, and {@code
 * STDERR} goes to a sink. One connection per request (no keep-alive, no multiplexing).
 */
public final class FastCgiClient {
  static final int VERSION = 1;
  static final int BEGIN_REQUEST = 1;
  static final int END_REQUEST = 3;
  static final int PARAMS = 4;
  static final int STDIN = 5;
  static final int STDOUT = 6;
  static final int STDERR = 7;
  static final int RESPONDER = 1;
  static final int MAX_CONTENT = 65535;
  private static final int REQUEST_ID = 1;
  private static final int CONNECT_MILLIS = 5_000;

  private FastCgiClient() {}

  /** The head of a CGI answer: its status and headers (names as sent). */
  public record Head(int status, List<Map.Entry<String, String>> headers) {}

  /** Where the answer goes: its head once, then its body as it comes. */
  public interface Sink {
    void head(Head head) throws IOException;

    void body(byte[] buf, int off, int len) throws IOException;
  }

  /**
   * Sends one request and streams the answer into {@code sink}; {@code errors} gets what the app
   * wrote to its error stream.
   */
  public static void exchange(
      int port,
      Map<String, String> params,
      InputStream body,
      Sink sink,
      Consumer<String> errors,
      Duration timeout)
      throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_MILLIS);
      s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
      record(out, BEGIN_REQUEST, new byte[] {0, RESPONDER, 0, 0, 0, 0, 0, 0}, 8);
      byte[] encoded = encode(params);
      for (int off = 0; off < encoded.length; off += MAX_CONTENT) {
        int n = Math.min(MAX_CONTENT, encoded.length - off);
        byte[] part = java.util.Arrays.copyOfRange(encoded, off, off + n);
        record(out, PARAMS, part, n);
      }
      record(out, PARAMS, new byte[0], 0);
      byte[] buf = new byte[MAX_CONTENT];
      int n;
      while (body != null && (n = body.read(buf)) > 0) {
        record(out, STDIN, buf, n);
      }
      record(out, STDIN, new byte[0], 0);
      out.flush();
      read(new DataInputStream(new BufferedInputStream(s.getInputStream())), sink, errors);
    }
  }

  private static void read(DataInputStream in, Sink sink, Consumer<String> errors)
      throws IOException {
    CgiParser cgi = new CgiParser(sink);
    while (true) {
      int version = in.readUnsignedByte();
      int type = in.readUnsignedByte();
      in.readUnsignedShort(); // request id: one request per connection
      int length = in.readUnsignedShort();
      int padding = in.readUnsignedByte();
      in.readUnsignedByte();
      if (version != VERSION) {
        throw new IOException("not a FastCGI answer (version " + version + ")");
      }
      byte[] content = new byte[length];
      in.readFully(content);
      in.skipNBytes(padding);
      switch (type) {
        case STDOUT -> cgi.feed(content, length);
        case STDERR -> errors.accept(new String(content, StandardCharsets.UTF_8));
        case END_REQUEST -> {
          cgi.end();
          return;
        }
        default -> {
          // other record types carry nothing for a responder's client
        }
      }
    }
  }

  private static void record(OutputStream out, int type, byte[] content, int length)
      throws IOException {
    int padding = (8 - length % 8) % 8;
    out.write(
        new byte[] {
          VERSION,
          (byte) type,
          0,
          REQUEST_ID,
          (byte) (length >> 8),
          (byte) length,
          (byte) padding,
          0
        });
    out.write(content, 0, length);
    out.write(new byte[padding]);
  }

  /** Name-value pairs: each length in one byte below 128, else in four with the high bit set. */
  static byte[] encode(Map<String, String> params) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Map.Entry<String, String> e : params.entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
      length(b, name.length);
      length(b, value.length);
      b.writeBytes(name);
      b.writeBytes(value);
    }
    return b.toByteArray();
  }

  private static void length(ByteArrayOutputStream b, int n) {
    if (n < 128) {
      b.write(n);
    } else {
      b.write((n >> 24) | 0x80);
      b.write(n >> 16);
      b.write(n >> 8);
      b.write(n);
    }
  }

  /** The CGI answer in STDOUT: header lines up to an empty line, then the body. */
  private static final class CgiParser {
    private final Sink sink;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private boolean inBody;

    CgiParser(Sink sink) {
      this.sink = sink;
    }

    void feed(byte[] b, int len) throws IOException {
      int i = 0;
      while (!inBody && i < len) {
        head.write(b[i++]);
        if (endsHead()) {
          inBody = true;
          sink.head(parse(head.toString(StandardCharsets.ISO_8859_1)));
        }
      }
      if (inBody && i < len) {
        sink.body(b, i, len - i);
      }
    }

    void end() throws IOException {
      if (!inBody) {
        inBody = true;
        sink.head(parse(head.toString(StandardCharsets.ISO_8859_1)));
      }
    }

    private boolean endsHead() {
      byte[] h = head.toByteArray();
      int n = h.length;
      return (n >= 2 && h[n - 1] == '\n' && h[n - 2] == '\n')
          || (n >= 4 && h[n - 1] == '\n' && h[n - 2] == '\r' && h[n - 3] == '\n');
    }

    private static Head parse(String text) {
      int status = 200;
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      for (String line : text.split("\r?\n")) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = line.substring(0, colon).strip();
        String value = line.substring(colon + 1).strip();
        if (name.equalsIgnoreCase("Status")) {
          String code = value.split(" ", 2)[0];
          try {
            status = Integer.parseInt(code);
          } catch (NumberFormatException e) {
            status = 502;
          }
        } else {
          headers.add(Map.entry(name, value));
        }
      }
      return new Head(status, headers);
    }
  }
}
