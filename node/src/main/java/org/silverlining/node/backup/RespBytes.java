package org.silverlining.node.backup;

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
 * A binary-safe RESP2 connection for backups: arguments and bulk replies are bytes, since a Redis
 * value need not be text. Replies are {@code byte[]} (bulk), {@code String} (simple), {@code Long},
 * {@code List<Object>} or {@code null}; an error reply throws. Not thread-safe.
 */
final class RespBytes implements Closeable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RespBytes(String host, int port, int timeoutMillis) throws IOException {
    socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      in = new BufferedInputStream(socket.getInputStream(), RowFile.BUFFER_BYTES);
      out = new BufferedOutputStream(socket.getOutputStream(), RowFile.BUFFER_BYTES);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Sends a command whose arguments are all text. */
  Object call(String... args) throws IOException {
    List<byte[]> b = new ArrayList<>(args.length);
    for (String a : args) {
      b.add(bytes(a));
    }
    return call(b);
  }

  Object call(List<byte[]> args) throws IOException {
    out.write(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] a : args) {
      out.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(a);
      out.write('\r');
      out.write('\n');
    }
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
        throw new IOException("Redis: " + line);
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
          byte[] value = new byte[n];
          System.arraycopy(data, 0, value, 0, n);
          return value;
        }
      case '*':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            items.add(read());
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
