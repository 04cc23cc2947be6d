package org.silverlining.node.resp;

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
 * A blocking connection speaking RESP2, the Redis protocol, for the node's own few commands
 * (provisioning, the task store, backups). Every argument goes as a length-prefixed bulk string, so
 * no value can split into two arguments. {@link #call} speaks text: replies come back as {@code
 * String} (simple and bulk strings), {@code Long}, {@code List<Object>} or {@code null}. {@link
 * #callBytes} is binary-safe, for values that need not be text: bulk strings come back as {@code
 * byte[]}. An error reply throws {@link ErrorReply} (inside an array it is an element). Not
 * thread-safe.
 */
public final class RespConnection implements Closeable {
  /** An error reply from the server, such as {@code NOPERM ...} or {@code ERR unknown command}. */
  public static final class ErrorReply extends IOException {
    private static final long serialVersionUID = 1L;

    ErrorReply(String message) {
      super(message);
    }
  }

  private static final int BUFFER_BYTES = 1 << 16;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RespConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES);
    this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
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

  /** Sends one command of text arguments and returns its reply, bulk strings as text. */
  public Object call(String... args) throws IOException {
    return text(callBytes(args));
  }

  /** Sends one command of text arguments; bulk strings in the reply stay bytes. */
  public Object callBytes(String... args) throws IOException {
    List<byte[]> b = new ArrayList<>(args.length);
    for (String a : args) {
      b.add(bytes(a));
    }
    return callBytes(b);
  }

  /** Sends one command of binary arguments; bulk strings in the reply stay bytes. */
  public Object callBytes(List<byte[]> args) throws IOException {
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

  /** The UTF-8 bytes of {@code s}, as Redis receives text. */
  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Object text(Object reply) {
    if (reply instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    if (reply instanceof List<?> items) {
      List<Object> out = new ArrayList<>(items.size());
      for (Object item : items) {
        out.add(text(item));
      }
      return out;
    }
    return reply;
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
          return java.util.Arrays.copyOf(data, n);
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
