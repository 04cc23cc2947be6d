package org.silverlining.node.apphttp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpGenerator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.util.BufferUtil;

/**
 * One blocking HTTP/1.1 connection to an app process: the calling thread writes a request (Jetty's
 * {@link HttpGenerator}) and reads the answer (Jetty's {@link HttpParser}) itself. Not thread-safe:
 * one exchange at a time.
 */
final class AppConnection implements HttpParser.ResponseHandler {
  static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final int READ_BUFFER = 16 * 1024;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final HttpParser parser = new HttpParser(this, MAX_HEAD_BYTES);
  private final HttpGenerator generator = new HttpGenerator();
  private final ByteBuffer input = BufferUtil.allocate(READ_BUFFER);
  private ByteBuffer head;

  // the answer being read
  private int status;
  private HttpVersion version;
  private HttpFields.Mutable headers;
  private byte[] tail;
  private int tailLength;
  private int keep;
  private long bodyLength;
  private boolean complete;
  private String failure;

  /** Whether any byte of an answer arrived in the current exchange. */
  boolean answerStarted;

  /** Whether the connection can carry another request after the current exchange. */
  boolean reusable;

  long idleSince;
  private long deadline;

  private AppConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** A new connection to {@code 127.0.0.1:port}. */
  static AppConnection open(int port, int connectTimeoutMillis) throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress("127.0.0.1", port), connectTimeoutMillis);
      return new AppConnection(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Sends {@code request} and reads its answer to the end, after any interim (1xx) answers; a
   * {@code 101} is the answer only where {@code upgrade} asks for it, and an error otherwise.
   */
  AppResponse exchange(AppRequest request, boolean upgrade) throws IOException {
    deadline = System.nanoTime() + request.timeout().toNanos();
    answerStarted = false;
    reusable = false;
    write(request);
    boolean headRequest = request.method().equals("HEAD");
    while (true) {
      read(headRequest, request.keepBodyBytes());
      if (status == 101 && upgrade) {
        return response();
      }
      if (status == 101) {
        throw new IOException("the app switched protocols instead of answering");
      }
      if (status >= 200) {
        reusable = !parser.isClosed() && persistent() && !input.hasRemaining();
        return response();
      }
      // an interim answer (100 Continue, 102, 103): the real one follows
    }
  }

  private void write(AppRequest r) throws IOException {
    HttpFields.Mutable fields = HttpFields.build(r.headers().size() + 2);
    String host = r.headers().get(HttpHeader.HOST); // a handshake passes the client's on
    fields.put(HttpHeader.HOST, host != null ? host : "127.0.0.1:" + socket.getPort());
    for (HttpField f : r.headers()) {
      if (f.getHeader() != HttpHeader.HOST) {
        fields.add(f);
      }
    }
    int q = r.pathQuery().indexOf('?');
    HttpURI uri =
        q < 0
            ? HttpURI.build().path(encoded(r.pathQuery()))
            : HttpURI.build()
                .path(encoded(r.pathQuery().substring(0, q)))
                .query(encoded(r.pathQuery().substring(q + 1)));
    // The generator frames the body: Content-Length of the body, for a POST or PUT even of none.
    MetaData.Request info = new MetaData.Request(r.method(), uri, HttpVersion.HTTP_1_1, fields, -1);
    ByteBuffer content = r.body().length == 0 ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(r.body());
    generator.reset();
    while (true) {
      HttpGenerator.Result result;
      try {
        result = generator.generateRequest(info, head, null, content, true);
      } catch (HttpException.RuntimeException e) {
        throw new IOException("cannot write the request: " + e.getReason(), e);
      }
      switch (result) {
        case NEED_HEADER -> head = BufferUtil.allocate(8 * 1024);
        case HEADER_OVERFLOW -> {
          if (head.capacity() >= MAX_HEAD_BYTES) {
            throw new IOException("a request head of more than " + MAX_HEAD_BYTES + " bytes");
          }
          head = BufferUtil.allocate(head.capacity() * 4);
          generator.reset();
        }
        case FLUSH -> {
          flush(head, content);
          BufferUtil.clear(head);
        }
        case CONTINUE -> {
          // the generator goes on to its next state
        }
        case DONE, SHUTDOWN_OUT -> {
          out.flush();
          return;
        }
        default -> throw new IOException("cannot write the request: " + result);
      }
    }
  }

  /** The head and a small body in one write (one segment on loopback), a large body after it. */
  private void flush(ByteBuffer headBytes, ByteBuffer content) throws IOException {
    int h = headBytes.remaining();
    int c = content.remaining();
    if (c > 0 && c <= 16 * 1024) {
      byte[] all = new byte[h + c];
      headBytes.get(all, 0, h);
      content.get(all, h, c);
      out.write(all);
      return;
    }
    out.write(headBytes.array(), headBytes.arrayOffset() + headBytes.position(), h);
    headBytes.position(headBytes.limit());
    if (c > 0) {
      out.write(content.array(), content.arrayOffset() + content.position(), c);
      content.position(content.limit());
    }
  }

  /** Reads one answer (interim or final) to its end. */
  private void read(boolean headRequest, int keepBodyBytes) throws IOException {
    parser.reset();
    parser.setHeadResponse(headRequest);
    status = 0;
    version = null;
    headers = HttpFields.build();
    keep = keepBodyBytes;
    tail = new byte[Math.min(keepBodyBytes, 8 * 1024)];
    tailLength = 0;
    bodyLength = 0;
    complete = false;
    failure = null;
    boolean eof = false;
    int parsesAfterEof = 0;
    while (true) {
      if (!input.hasRemaining() && !eof) {
        eof = fill() < 0;
        if (eof) {
          parser.atEOF();
        }
      }
      parser.parseNext(input);
      if (failure != null) {
        throw new IOException(failure);
      }
      if (complete) {
        return;
      }
      // At the end of the stream the parser ends or fails the answer within a call or two.
      if (eof && !input.hasRemaining() && ++parsesAfterEof > 2) {
        throw new EOFException("the app closed the connection in the middle of its answer");
      }
    }
  }

  /** Reads what the socket has into the input buffer, waiting at most until the deadline. */
  private int fill() throws IOException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("no full answer from the app in time");
    }
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    BufferUtil.clear(input);
    int n;
    try {
      n = in.read(input.array(), 0, input.capacity());
    } catch (SocketTimeoutException e) {
      throw new SocketTimeoutException("no full answer from the app in time");
    }
    if (n > 0) {
      input.limit(n);
      answerStarted = true;
    }
    return n;
  }

  private boolean persistent() {
    if (headers.contains(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString())) {
      return false;
    }
    return version == HttpVersion.HTTP_1_1
        || headers.contains(HttpHeader.CONNECTION, HttpHeaderValue.KEEP_ALIVE.asString());
  }

  private AppResponse response() {
    return new AppResponse(
        status, headers.asImmutable(), Arrays.copyOf(tail, tailLength), bodyLength);
  }

  /** What the app sent beyond its answer (after a 101: the first bytes of the new protocol). */
  ByteBuffer leftover() {
    return BufferUtil.copy(input);
  }

  /** The socket, for a tunnel after a 101: reads no longer time out. */
  Socket detach() throws IOException {
    socket.setSoTimeout(0);
    return socket;
  }

  void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do about a failed close
    }
  }

  // HttpParser.ResponseHandler

  @Override
  public void startResponse(HttpVersion version, int status, String reason) {
    this.version = version;
    this.status = status;
  }

  @Override
  public void parsedHeader(HttpField field) {
    headers.add(field);
  }

  @Override
  public boolean headerComplete() {
    return false;
  }

  @Override
  public boolean content(ByteBuffer chunk) {
    int n = chunk.remaining();
    bodyLength += n;
    if (keep > 0) {
      keepTail(chunk);
    }
    chunk.position(chunk.limit());
    return false;
  }

  /** Appends {@code chunk} to the kept tail, dropping its oldest bytes past {@link #keep}. */
  private void keepTail(ByteBuffer chunk) {
    int n = chunk.remaining();
    if (n >= keep) {
      chunk.position(chunk.limit() - keep);
      tail = new byte[keep];
      chunk.get(tail);
      tailLength = keep;
      return;
    }
    int drop = Math.max(0, tailLength + n - keep);
    if (drop > 0) {
      System.arraycopy(tail, drop, tail, 0, tailLength - drop);
      tailLength -= drop;
    }
    if (tailLength + n > tail.length) {
      tail = Arrays.copyOf(tail, Math.min(keep, Math.max(tail.length * 2, tailLength + n)));
    }
    chunk.get(tail, tailLength, n);
    tailLength += n;
  }

  @Override
  public boolean contentComplete() {
    return false;
  }

  @Override
  public boolean messageComplete() {
    complete = true;
    return true;
  }

  @Override
  public void earlyEOF() {
    // The parser tells a malformed body (after a good head) as an early end, in state CLOSE.
    failure =
        parser.isState(HttpParser.State.CLOSE)
            ? "the app's answer is not valid HTTP/1.1: a malformed body"
            : status == 0
                ? "the app closed the connection without answering"
                : "the app closed the connection in the middle of its answer";
  }

  @Override
  public void badMessage(HttpException failure) {
    this.failure = "the app's answer is not valid HTTP/1.1: " + failure.getReason();
  }

  /** {@code pathQuery} with any character beyond printable ASCII percent-encoded as UTF-8. */
  static String encoded(String pathQuery) {
    StringBuilder b = null;
    for (int i = 0; i < pathQuery.length(); i++) {
      char ch = pathQuery.charAt(i);
      if (ch > ' ' && ch < 127) {
        if (b != null) {
          b.append(ch);
        }
        continue;
      }
      if (b == null) {
        b = new StringBuilder(pathQuery.length() + 16).append(pathQuery, 0, i);
      }
      int end = Character.isHighSurrogate(ch) && i + 1 < pathQuery.length() ? i + 2 : i + 1;
      for (byte x : pathQuery.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
        b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xF, 16)));
        b.append(Character.toUpperCase(Character.forDigit(x & 0xF, 16)));
      }
      i = end - 1;
    }
    return b == null ? pathQuery : b.toString();
  }
}
