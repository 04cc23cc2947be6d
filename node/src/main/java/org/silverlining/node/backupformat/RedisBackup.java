package org.silverlining.node.backupformat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import org.silverlining.node.resp.RespConnection;

/**
 * Backs up and restores an app's Redis keys as {@code keys.jsonl}: one key a line, sorted by
 * logical database and then by the key's bytes, as {@code {"db":0,"key":K,"type":T,
 * "expires_at":MS,"value":V}}. The key is without the app's prefix; {@code expires_at} is the
 * absolute expiry in Unix milliseconds (PEXPIRETIME), or null, so that it does not change from one
 * backup to the next. Values: a string as a string; a list as an array in order; a set as an array
 * sorted by bytes; a hash as an array of {@code [field, value]} pairs sorted by field; a sorted set
 * as an array of {@code [member, score]} in the set's order. Each byte string is a JSON string when
 * it is UTF-8, else {@code {"hex":"..."}}.
 */
public final class RedisBackup {
  static final String FILE = "keys.jsonl";
  static final int SCAN_COUNT = 1000;
  static final int CHUNK = 1000;
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RedisBackup() {}

  /** Writes the app's keys into {@code dir}; returns the server's version. */
  public static String write(RedisTarget target, Path dir) throws IOException, BackupException {
    Files.createDirectories(dir);
    byte[] prefix = RespConnection.bytes(target.prefix());
    try (RespConnection c = target.connect();
        OutputStream out =
            new BufferedOutputStream(
                Files.newOutputStream(dir.resolve(FILE)), RowFile.BUFFER_BYTES);
        JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.setRootValueSeparator(null);
      int databases = databases(c);
      for (int db = 0; db < databases; db++) {
        c.callBytes("SELECT", Integer.toString(db));
        for (byte[] key : keys(c, target.prefix())) {
          writeKey(c, g, db, key, prefix.length);
        }
      }
      return "Redis " + version(c);
    }
  }

  private static TreeSet<byte[]> keys(RespConnection c, String prefix) throws IOException {
    TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);
    String match = prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*";
    String cursor = "0";
    do {
      List<?> reply =
          (List<?>)
              c.callBytes("SCAN", cursor, "MATCH", match, "COUNT", Integer.toString(SCAN_COUNT));
      cursor = new String((byte[]) reply.get(0), StandardCharsets.US_ASCII);
      for (Object k : (List<?>) reply.get(1)) {
        keys.add((byte[]) k);
      }
    } while (!cursor.equals("0"));
    return keys;
  }

  private static void writeKey(
      RespConnection c, JsonGenerator g, int db, byte[] key, int prefixLength)
      throws IOException, BackupException {
    String type = (String) c.callBytes(List.of(RespConnection.bytes("TYPE"), key));
    if (type.equals("none")) {
      return; // expired or deleted since SCAN saw it
    }
    g.writeStartObject();
    g.writeNumberField("db", db);
    g.writeFieldName("key");
    writeBytes(g, Arrays.copyOfRange(key, prefixLength, key.length));
    g.writeStringField("type", type);
    long expires = (Long) c.callBytes(List.of(RespConnection.bytes("PEXPIRETIME"), key));
    g.writeFieldName("expires_at");
    if (expires >= 0) {
      g.writeNumber(expires);
    } else {
      g.writeNull();
    }
    g.writeFieldName("value");
    switch (type) {
      case "string" ->
          writeBytes(g, (byte[]) c.callBytes(List.of(RespConnection.bytes("GET"), key)));
      case "list" -> writeArray(g, call(c, "LRANGE", key, "0", "-1"), false);
      case "set" -> writeArray(g, call(c, "SMEMBERS", key), true);
      case "hash" -> writePairs(g, call(c, "HGETALL", key), true);
      case "zset" -> writePairs(g, call(c, "ZRANGE", key, "0", "-1", "WITHSCORES"), false);
      default ->
          throw new BackupException(
              "key '"
                  + new String(key, StandardCharsets.UTF_8)
                  + "' is a "
                  + type
                  + ", which a backup cannot hold yet; its types are string, list, set, hash, zset");
    }
    g.writeEndObject();
    g.writeRaw('\n');
  }

  private static List<?> call(RespConnection c, String command, byte[] key, String... more)
      throws IOException {
    List<byte[]> args = new ArrayList<>();
    args.add(RespConnection.bytes(command));
    args.add(key);
    for (String m : more) {
      args.add(RespConnection.bytes(m));
    }
    return (List<?>) c.callBytes(args);
  }

  private static void writeArray(JsonGenerator g, List<?> items, boolean sort) throws IOException {
    List<byte[]> b = new ArrayList<>();
    items.forEach(i -> b.add((byte[]) i));
    if (sort) {
      b.sort(Arrays::compareUnsigned);
    }
    g.writeStartArray();
    for (byte[] x : b) {
      writeBytes(g, x);
    }
    g.writeEndArray();
  }

  private static void writePairs(JsonGenerator g, List<?> flat, boolean sort) throws IOException {
    List<byte[][]> pairs = new ArrayList<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      pairs.add(new byte[][] {(byte[]) flat.get(i), (byte[]) flat.get(i + 1)});
    }
    if (sort) {
      pairs.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
    }
    g.writeStartArray();
    for (byte[][] p : pairs) {
      g.writeStartArray();
      writeBytes(g, p[0]);
      writeBytes(g, p[1]);
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  static void writeBytes(JsonGenerator g, byte[] b) throws IOException {
    try {
      g.writeString(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(b))
              .toString());
    } catch (CharacterCodingException e) {
      g.writeStartObject();
      g.writeStringField("hex", HexFormat.of().formatHex(b));
      g.writeEndObject();
    }
  }

  static byte[] readBytes(JsonNode n) throws BackupException {
    if (n.isTextual()) {
      return RespConnection.bytes(n.asText());
    }
    if (n.isObject() && n.path("hex").isTextual()) {
      return HexFormat.of().parseHex(n.path("hex").asText());
    }
    throw new BackupException("not a Redis byte string: " + n);
  }

  private static int databases(RespConnection c) throws IOException {
    List<?> reply = (List<?>) c.callBytes("CONFIG", "GET", "databases");
    return reply.size() == 2
        ? Integer.parseInt(new String((byte[]) reply.get(1), StandardCharsets.US_ASCII))
        : 16;
  }

  private static String version(RespConnection c) throws IOException {
    String info = new String((byte[]) c.callBytes("INFO", "server"), StandardCharsets.UTF_8);
    for (String line : info.split("\r\n")) {
      if (line.startsWith("redis_version:")) {
        return line.substring("redis_version:".length());
      }
    }
    return "";
  }

  /** Writes the keys of {@code dir} under the target's prefix; the app's keys must be gone. */
  public static void restore(RedisTarget target, Path dir) throws IOException, BackupException {
    byte[] prefix = RespConnection.bytes(target.prefix());
    try (RespConnection c = target.connect();
        MappingIterator<JsonNode> lines =
            MAPPER.readerFor(JsonNode.class).readValues(dir.resolve(FILE).toFile())) {
      int selected = -1;
      while (lines.hasNext()) {
        JsonNode line = lines.next();
        int db = line.path("db").asInt();
        if (db != selected) {
          c.callBytes("SELECT", Integer.toString(db));
          selected = db;
        }
        byte[] rel = readBytes(line.path("key"));
        byte[] key = Arrays.copyOf(prefix, prefix.length + rel.length);
        System.arraycopy(rel, 0, key, prefix.length, rel.length);
        restoreValue(c, key, line.path("type").asText(), line.path("value"));
        if (line.path("expires_at").isNumber()) {
          c.callBytes(
              List.of(
                  RespConnection.bytes("PEXPIREAT"),
                  key,
                  RespConnection.bytes(Long.toString(line.path("expires_at").asLong()))));
        }
      }
    }
  }

  private static void restoreValue(RespConnection c, byte[] key, String type, JsonNode value)
      throws IOException, BackupException {
    if (type.equals("string")) {
      c.callBytes(List.of(RespConnection.bytes("SET"), key, readBytes(value)));
      return;
    }
    String command =
        switch (type) {
          case "list" -> "RPUSH";
          case "set" -> "SADD";
          case "hash" -> "HSET";
          case "zset" -> "ZADD";
          default -> throw new BackupException("unknown Redis type '" + type + "' in the backup");
        };
    List<byte[]> args = new ArrayList<>();
    for (JsonNode item : value) {
      if (args.isEmpty()) {
        args.add(RespConnection.bytes(command));
        args.add(key);
      }
      if (type.equals("hash")) {
        args.add(readBytes(item.get(0)));
        args.add(readBytes(item.get(1)));
      } else if (type.equals("zset")) {
        args.add(readBytes(item.get(1))); // ZADD takes the score first
        args.add(readBytes(item.get(0)));
      } else {
        args.add(readBytes(item));
      }
      if (args.size() >= CHUNK) {
        c.callBytes(args);
        args = new ArrayList<>();
      }
    }
    if (!args.isEmpty()) {
      c.callBytes(args);
    }
  }
}
