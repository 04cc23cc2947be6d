package org.silverlining.node.service;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking connection speaking RESP2, the Redis protocol: enough for the few administrative
 * commands {@link RedisService} sends. Every argument goes as a length-prefixed bulk string, so no
 * value can split into two arguments. Replies come back as {@code String} (simple and bulk
 * strings), {@code Long}, {@code List<Object>} or {@code null}; an error reply throws {@link
 * ErrorReply}. Not thread-safe.
 */
public final class RespConnection implements Closeable {
  /** An error reply from the server, such as {@code NOPERM ...} or {@code ERR unknown command}. */
  public static final class ErrorReply extends IOException {
    private static final long serialVersionUID = 1L;

    ErrorReply(String message) {
      super(message);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RespConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream());
  }

  /** Connects, waiting at most {@code timeoutMillis} to connect and for each reply. */
  public static RespConnection open(String host, int port, int timeoutMillis) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(host, port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      return new RespConnection(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** Sends one command and returns its reply. */
  public Object call(String... args) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String a : args) {
      byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
      b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      b.writeBytes(bytes);
      b.writeBytes(new byte[] {'\r', '\n'});
    }
    out.write(b.toByteArray());
    out.flush();
    return read();
  }

  private Object read() throws IOException {
    int type = in.read();
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new ErrorReply(line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          byte[] data = in.readNBytes(n + 2);
          if (data.length < n + 2) {
            throw new EOFException("Redis closed the connection");
          }
          return new String(data, 0, n, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            try {
              items.add(read());
            } catch (ErrorReply e) {
              items.add(e);
            }
          }
          return items;
        }
      case -1:
        throw new EOFException("Redis closed the connection");
      default:
        throw new IOException("not a Redis reply: " + (char) type + line);
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\r') {
      if (c == -1) {
        throw new EOFException("Redis closed the connection");
      }
      b.write(c);
    }
    if (in.read() != '\n') {
      throw new IOException("malformed Redis reply");
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
