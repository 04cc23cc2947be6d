package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.resp.RespConnection;
import org.silverlining.node.service.RedisService;
import org.silverlining.node.service.ServiceScope;
import org.silverlining.node.service.Services;

/** Backups of Redis keys against the real Redis at 127.0.0.1:6379 (default user, no password). */
class RedisBackupTest {
  @TempDir Path tmp;
  private final RedisService service = new RedisService();
  private final List<ServiceScope> made = new ArrayList<>();
  private Services.Bound source;
  private RespConnection admin;

  @BeforeAll
  static void serverAnswers() {
    LiveServers.require("Redis", 6379, "start it with: redis-server --daemonize yes");
  }

  @BeforeEach
  void makeSource() throws Exception {
    admin = RespConnection.open("127.0.0.1", 6379, 5_000);
    source = app("rd");
    String p = source.scope().app() + ":";
    admin.callBytes("SET", p + "text", BackupRoundTripTest.AWKWARD);
    admin.callBytes(
        List.of(
            RespConnection.bytes("SET"),
            RespConnection.bytes(p + "bin"),
            new byte[] {0, (byte) 0xff, (byte) 0xc3, '\n'}));
    admin.callBytes("RPUSH", p + "list", "b", "a", "b", "");
    admin.callBytes("SADD", p + "set", "z", "a", "m");
    admin.callBytes("HSET", p + "hash", "f2", "v2", "f1", "v\t1");
    admin.callBytes("ZADD", p + "zset", "0.1", "x", "inf", "y", "-3", "z");
    admin.callBytes("SET", p + "temp", "soon gone", "PX", "3600000");
    admin.callBytes("SELECT", "1");
    admin.callBytes("SET", p + "other-db", "1");
    admin.callBytes("SELECT", "0");
    admin.callBytes("SET", "someone-else:key", "not ours");
  }

  @AfterEach
  void dropEverything() throws Exception {
    admin.callBytes("DEL", "someone-else:key");
    admin.close();
    for (ServiceScope s : made) {
      service.drop(s);
    }
  }

  private Services.Bound app(String base) throws Exception {
    String name = LiveServers.uniqueApp(base);
    ServiceScope scope = LiveServers.scope(name, "redis", tmp.resolve(name));
    service.provision(scope);
    made.add(scope);
    return new Services.Bound(service, scope);
  }

  @Test
  void twoBackupsOfUnchangedKeysAreByteIdenticalAndHoldOnlyTheAppsKeys() throws Exception {
    Backup.write(List.of(source), tmp.resolve("b1"), Map.of());
    Backup.write(List.of(source), tmp.resolve("b2"), Map.of());

    BackupFiles.assertSameData(tmp.resolve("b2"), tmp.resolve("b1"));
    List<String> lines = Files.readAllLines(tmp.resolve("b1/redis/keys.jsonl"));
    assertThat(lines).hasSize(8).noneMatch(l -> l.contains("someone-else"));
    assertThat(lines.get(0))
        .startsWith("{\"db\":0,\"key\":\"bin\",\"type\":\"string\"")
        .contains("{\"hex\":\"00ffc30a\"}");
    assertThat(lines.get(7)).startsWith("{\"db\":1,\"key\":\"other-db\"");
  }

  @Test
  void aRestoreIntoAnotherAppGivesTheSameKeysAndTheSameBackup() throws Exception {
    Backup.write(List.of(source), tmp.resolve("b1"), Map.of());
    Services.Bound other = app("rd-dst");
    String q = other.scope().app() + ":";
    admin.callBytes("SET", q + "stale", "replaced by the restore");

    Backup.restore(tmp.resolve("b1"), List.of(other));
    Backup.write(List.of(other), tmp.resolve("b2"), Map.of());

    BackupFiles.assertSameData(tmp.resolve("b2"), tmp.resolve("b1"));
    assertThat(admin.callBytes("EXISTS", q + "stale")).isEqualTo(0L);
    assertThat(new String((byte[]) admin.callBytes("GET", q + "text"), StandardCharsets.UTF_8))
        .isEqualTo(BackupRoundTripTest.AWKWARD);
    assertThat((byte[]) admin.callBytes("GET", q + "bin")).containsExactly(0, 0xff, 0xc3, '\n');
    assertThat((Long) admin.callBytes("PTTL", q + "temp")).isBetween(1L, 3_600_000L);
  }
}
