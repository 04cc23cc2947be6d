package org.silverlining.node.tasks;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A small blocking HTTP/1.1 client for requests from the node to its app processes on loopback: the
 * calling thread writes the request and reads the answer itself, on a keep-alive connection kept
 * per port. A task delivery is one request and its status; a general-purpose asynchronous client
 * costs several thread hand-offs and a good deal more CPU per request than the exchange itself.
 * Answers with {@code Content-Length}, chunked or ended by the connection's close are read to their
 * end and dropped; interim 1xx answers are skipped.
 *
 * <p>A request that fails on a connection reused from the pool before any byte of the answer came
 * (the app closed it while idle) is sent once more on a new connection. Idle connections are closed
 * after {@link #idleTimeoutMillis}.
 */
final class AppHttpClient implements AutoCloseable {
  static final int MAX_LINE = 16 * 1024;
  static final int MAX_HEADERS = 200;

  private final int connectTimeoutMillis;
  private final long idleTimeoutMillis;
  private final Map<Integer, Deque<Connection>> idle = new ConcurrentHashMap<>();
  private volatile long lastSweep = System.nanoTime();
  private volatile boolean closed;

  AppHttpClient(int connectTimeoutMillis, long idleTimeoutMillis) {
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.idleTimeoutMillis = idleTimeoutMillis;
  }

  /**
   * Sends {@code method pathQuery} with {@code headers} (names and values already checked: no line
   * breaks) and {@code body} ({@code null} for none) to {@code 127.0.0.1:port}, reads the answer to
   * its end and returns its status.
   *
   * @throws SocketTimeoutException when the answer has not fully arrived after {@code
   *     timeoutMillis}
   * @throws IOException when the connection fails or the answer is not HTTP/1.x
   */
  int send(
      int port,
      String method,
      String pathQuery,
      Map<String, String> headers,
      byte[] body,
      long timeoutMillis)
      throws IOException {
    byte[] head = head(port, method, pathQuery, headers, body);
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    closeIdle();
    while (true) {
      Connection c = pooled(port);
      boolean reused = c != null;
      if (c == null) {
        c = open(port);
      }
      try {
        c.write(head, body);
        int status = c.readAnswer(method.equals("HEAD"), deadline);
        if (c.reusable && !closed) {
          c.idleSince = System.nanoTime();
          idle.computeIfAbsent(port, p -> new ConcurrentLinkedDeque<>()).push(c);
        } else {
          c.close();
        }
        return status;
      } catch (IOException e) {
        c.close();
        if (!reused || c.answerStarted) {
          throw e;
        }
        // a kept-alive connection the app had closed: once more, on another one
      }
    }
  }

  private Connection pooled(int port) {
    Deque<Connection> d = idle.get(port);
    if (d == null) {
      return null;
    }
    for (Connection c; (c = d.poll()) != null; ) {
      if (System.nanoTime() - c.idleSince < idleTimeoutMillis * 1_000_000) {
        return c;
      }
      c.close();
    }
    return null;
  }

  private Connection open(int port) throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress("127.0.0.1", port), connectTimeoutMillis);
      return new Connection(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** Closes the connections idle for longer than the idle timeout, at most once a second. */
  void closeIdle() {
    long now = System.nanoTime();
    if (now - lastSweep < 1_000_000_000L) {
      return;
    }
    lastSweep = now;
    closeIdle(now - idleTimeoutMillis * 1_000_000);
  }

  /** Closes the pooled connections idle since before {@code cutoffNanos}; drops empty pools. */
  void closeIdle(long cutoffNanos) {
    for (Iterator<Deque<Connection>> pools = idle.values().iterator(); pools.hasNext(); ) {
      Deque<Connection> d = pools.next();
      for (Iterator<Connection> i = d.iterator(); i.hasNext(); ) {
        Connection c = i.next();
        if (c.idleSince - cutoffNanos < 0 && d.removeFirstOccurrence(c)) {
          c.close();
        }
      }
      if (d.isEmpty()) {
        pools.remove();
      }
    }
  }

  /** How many connections are kept open for reuse. */
  int idleConnections() {
    int n = 0;
    for (Deque<Connection> d : idle.values()) {
      n += d.size();
    }
    return n;
  }

  @Override
  public void close() {
    closed = true;
    for (Deque<Connection> d : idle.values()) {
      for (Connection c; (c = d.poll()) != null; ) {
        c.close();
      }
    }
  }

  /** The request line and headers, ending with the blank line. */
  static byte[] head(
      int port, String method, String pathQuery, Map<String, String> headers, byte[] body) {
    StringBuilder b = new StringBuilder(256);
    b.append(method).append(' ');
    appendPath(b, pathQuery);
    b.append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port).append("\r\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    if (body != null && body.length > 0) {
      b.append("Content-Length: ").append(body.length).append("\r\n");
    } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      b.append("Content-Length: 0\r\n");
    }
    b.append("\r\n");
    byte[] out = new byte[b.length()];
    for (int i = 0; i < out.length; i++) {
      char ch = b.charAt(i);
      out[i] = ch < 256 ? (byte) ch : (byte) '?'; // header text is ISO-8859-1
    }
    return out;
  }

  /** {@code pathQuery} with any character beyond ASCII percent-encoded as UTF-8. */
  private static void appendPath(StringBuilder b, String pathQuery) {
    for (int i = 0; i < pathQuery.length(); i++) {
      char ch = pathQuery.charAt(i);
      if (ch > ' ' && ch < 127) {
        b.append(ch);
        continue;
      }
      int end = Character.isHighSurrogate(ch) && i + 1 < pathQuery.length() ? i + 2 : i + 1;
      for (byte x : pathQuery.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
        b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xF, 16)));
        b.append(Character.toUpperCase(Character.forDigit(x & 0xF, 16)));
      }
      i = end - 1;
    }
  }

  /** One connection: a socket, its buffered input, and whether it can carry another request. */
  private static final class Connection {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    boolean reusable;
    boolean answerStarted;
    long deadline;
    long idleSince;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(new TimedInput(socket.getInputStream()), 8192);
      this.out = socket.getOutputStream();
    }

    void write(byte[] head, byte[] body) throws IOException {
      answerStarted = false;
      reusable = false;
      if (body != null && body.length > 0 && body.length <= 16 * 1024) {
        byte[] all = new byte[head.length + body.length]; // one segment for a small request
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        out.write(all);
      } else {
        out.write(head);
        if (body != null && body.length > 0) {
          out.write(body);
        }
      }
      out.flush();
    }

    /** Reads one answer (after any 1xx) to its end; returns its status. */
    int readAnswer(boolean head, long deadline) throws IOException {
      this.deadline = deadline;
      while (true) {
        String statusLine = line(true);
        answerStarted = true;
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
          throw new IOException("not an HTTP/1.x answer: " + shorten(statusLine));
        }
        int status = parseStatus(statusLine);
        boolean http10 = statusLine.charAt(7) == '0';
        long length = -1;
        boolean chunked = false;
        boolean close = http10;
        for (int n = 0; ; n++) {
          String h = line(false);
          if (h.isEmpty()) {
            break;
          }
          if (n >= MAX_HEADERS) {
            throw new IOException("more than " + MAX_HEADERS + " header lines in an answer");
          }
          int colon = h.indexOf(':');
          if (colon <= 0) {
            throw new IOException("a malformed header line: " + shorten(h));
          }
          String name = h.substring(0, colon).trim();
          String value = h.substring(colon + 1).trim();
          if (name.equalsIgnoreCase("Content-Length")) {
            try {
              length = Long.parseLong(value);
            } catch (NumberFormatException e) {
              throw new IOException("a malformed Content-Length: " + shorten(value), e);
            }
            if (length < 0) {
              throw new IOException("a negative Content-Length: " + value);
            }
          } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
            chunked = value.toLowerCase(java.util.Locale.ROOT).endsWith("chunked");
            if (!chunked) {
              close = true; // another coding: the body ends with the connection
            }
          } else if (name.equalsIgnoreCase("Connection")) {
            String v = value.toLowerCase(java.util.Locale.ROOT);
            if (v.contains("close")) {
              close = true;
            } else if (http10 && v.contains("keep-alive")) {
              close = false;
            }
          }
        }
        if (status >= 100 && status < 200 && status != 101) {
          continue; // interim: the real answer follows
        }
        if (status == 101) {
          throw new IOException("the app switched protocols instead of answering");
        }
        if (head || status == 204 || status == 304) {
          reusable = !close;
        } else if (chunked) {
          readChunked();
          reusable = !close;
        } else if (length >= 0) {
          skip(length);
          reusable = !close;
        } else {
          while (in.skip(8192) > 0) {
            // the body ends with the connection
          }
          reusable = false;
        }
        return status;
      }
    }

    private void readChunked() throws IOException {
      while (true) {
        String sizeLine = line(false);
        int semi = sizeLine.indexOf(';');
        String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
        long size;
        try {
          size = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          throw new IOException("a malformed chunk size: " + shorten(sizeLine), e);
        }
        if (size < 0) {
          throw new IOException("a malformed chunk size: " + shorten(sizeLine));
        }
        if (size == 0) {
          for (int n = 0; !line(false).isEmpty(); n++) { // trailers
            if (n >= MAX_HEADERS) {
              throw new IOException("too many trailer lines in an answer");
            }
          }
          return;
        }
        skip(size);
        if (!line(false).isEmpty()) {
          throw new IOException("a chunk does not end with a line break");
        }
      }
    }

    private void skip(long n) throws IOException {
      while (n > 0) {
        long k = in.skip(n);
        if (k <= 0) {
          if (in.read() < 0) {
            throw new EOFException("the answer ended " + n + " byte(s) early");
          }
          k = 1;
        }
        n -= k;
      }
    }

    /**
     * One line without its CRLF (a bare LF is accepted). {@code first}: the status line, which may
     * be preceded by empty lines, and whose absence (the connection closed) is told apart.
     */
    private String line(boolean first) throws IOException {
      StringBuilder b = new StringBuilder(64);
      while (true) {
        int c = in.read();
        if (c < 0) {
          throw new EOFException(
              first && b.isEmpty()
                  ? "the app closed the connection without answering"
                  : "the answer ended in the middle of a line");
        }
        if (c == '\n') {
          int end = b.length();
          if (end > 0 && b.charAt(end - 1) == '\r') {
            b.setLength(end - 1);
          }
          if (first && b.isEmpty()) {
            continue;
          }
          return b.toString();
        }
        if (b.length() >= MAX_LINE) {
          throw new IOException("a line of more than " + MAX_LINE + " bytes in an answer");
        }
        b.append((char) c);
      }
    }

    private static int parseStatus(String statusLine) throws IOException {
      int status = 0;
      for (int i = 9; i < 12; i++) {
        char d = statusLine.charAt(i);
        if (d < '0' || d > '9') {
          throw new IOException("a malformed status line: " + shorten(statusLine));
        }
        status = status * 10 + (d - '0');
      }
      if (statusLine.charAt(8) != ' '
          || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
        throw new IOException("a malformed status line: " + shorten(statusLine));
      }
      return status;
    }

    private static String shorten(String s) {
      return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // nothing to do about a failed close
      }
    }

    /** The socket's input, each read bounded by the time left until the deadline. */
    private final class TimedInput extends InputStream {
      private final InputStream raw;

      TimedInput(InputStream raw) {
        this.raw = raw;
      }

      private void arm() throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new SocketTimeoutException("no full answer in time");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
      }

      @Override
      public int read() throws IOException {
        arm();
        return raw.read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        arm();
        return raw.read(b, off, len);
      }
    }
  }
}
