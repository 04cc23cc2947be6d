package org.silverlining.node.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.resp.RespConnection;

/** {@link RedisService} against the real Redis at 127.0.0.1:6379 (no password). */
class RedisServiceTest {
  private final RedisService service = new RedisService();
  private final List<ServiceScope> made = new ArrayList<>();
  @TempDir Path dir;

  @BeforeAll
  static void serverAnswers() {
    LiveServer.require(
        "Redis",
        "127.0.0.1",
        6379,
        "start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save \"\"");
  }

  @AfterEach
  void dropEverythingMade() throws ServiceException {
    for (ServiceScope s : made) {
      service.drop(s);
    }
  }

  private ServiceScope scope(String app, ServiceMode mode) {
    ServiceScope s = LiveServer.scope(app, "redis", Map.of(), mode, dir.resolve(app));
    made.add(s);
    return s;
  }

  private ServiceScope scope(String base) {
    return scope(LiveServer.uniqueApp(base), ServiceMode.PRODUCTION);
  }

  private static RespConnection admin() throws IOException {
    return RespConnection.open("127.0.0.1", 6379, 2_000);
  }

  /** A connection logged in with the app's variables, as the app would. */
  private RespConnection connectAs(ServiceScope s) throws Exception {
    Map<String, String> env = service.environment(s);
    RespConnection c =
        RespConnection.open(
            env.get("CONFIG_REDIS_HOST"), Integer.parseInt(env.get("CONFIG_REDIS_PORT")), 2_000);
    c.call("AUTH", env.get("CONFIG_REDIS_USER"), env.get("CONFIG_REDIS_PASSWORD"));
    return c;
  }

  @Test
  void provisioningTwiceKeepsThePasswordAndTheKeys() throws Exception {
    ServiceScope s = scope("twice");
    service.provision(s);
    Map<String, String> first = service.environment(s);
    try (RespConnection c = connectAs(s)) {
      c.call("SET", RedisService.prefix(s) + "kept", "7");
    }

    service.provision(s);

    assertThat(service.environment(s)).isEqualTo(first);
    try (RespConnection c = connectAs(s)) {
      assertThat(c.call("GET", RedisService.prefix(s) + "kept")).isEqualTo("7");
    }
  }

  @Test
  void theEnvironmentGivesAUrlAndThePrefix() throws Exception {
    ServiceScope s = scope("env");
    service.provision(s);
    Map<String, String> env = service.environment(s);
    String user = s.resourceName();
    String password = env.get("CONFIG_REDIS_PASSWORD");

    assertThat(password).matches("[0-9a-f]{48}");
    assertThat(env)
        .containsEntry("CONFIG_REDIS_URL", "redis://" + user + ":" + password + "@127.0.0.1:6379/0")
        .containsEntry("CONFIG_REDIS_PREFIX", s.app() + ":")
        .containsEntry("CONFIG_REDIS_HOST", "127.0.0.1")
        .containsEntry("CONFIG_REDIS_PORT", "6379")
        .containsEntry("CONFIG_REDIS_USER", user);
  }

  @Test
  void theAppUsesKeysUnderItsPrefixWithEverydayCommands() throws Exception {
    ServiceScope s = scope("use");
    service.provision(s);
    String p = RedisService.prefix(s);
    try (RespConnection c = connectAs(s)) {
      assertThat(c.call("SET", p + "k", "v")).isEqualTo("OK");
      assertThat(c.call("GET", p + "k")).isEqualTo("v");
      assertThat(c.call("EXPIRE", p + "k", "60")).isEqualTo(1L);
      assertThat(c.call("INCR", p + "n")).isEqualTo(1L);
      assertThat(c.call("HSET", p + "h", "f", "1")).isEqualTo(1L);
      assertThat(c.call("LPUSH", p + "l", "a", "b")).isEqualTo(2L);
      assertThat(c.call("SADD", p + "s", "a")).isEqualTo(1L);
      assertThat(c.call("ZADD", p + "z", "1", "a")).isEqualTo(1L);
      assertThat(c.call("MGET", p + "k", p + "missing"))
          .asInstanceOf(InstanceOfAssertFactories.LIST)
          .containsExactly("v", null);
      assertThat(c.call("DEL", p + "k", p + "n")).isEqualTo(2L);
      assertThat(c.call("PUBLISH", p + "events", "hi")).isEqualTo(0L);
    }
  }

  @Test
  void theAppCannotTouchKeysOutsideItsPrefixNorAnotherAppsKeys() throws Exception {
    ServiceScope a = scope("a");
    ServiceScope b = scope("b");
    service.provision(a);
    service.provision(b);
    try (RespConnection c = connectAs(b)) {
      c.call("SET", RedisService.prefix(b) + "secret", "b's");
    }
    try (RespConnection c = connectAs(a)) {
      for (String[] command :
          List.of(
              new String[] {"GET", RedisService.prefix(b) + "secret"},
              new String[] {"SET", RedisService.prefix(b) + "secret", "mine"},
              new String[] {"DEL", RedisService.prefix(b) + "secret"},
              new String[] {"SET", "global", "x"},
              new String[] {"GET", a.app()},
              new String[] {"PUBLISH", RedisService.prefix(b) + "events", "x"})) {
        assertThatThrownBy(() -> c.call(command))
            .as(String.join(" ", command))
            .isInstanceOf(RespConnection.ErrorReply.class)
            .hasMessageStartingWith("NOPERM");
      }
    }
    try (RespConnection c = connectAs(b)) {
      assertThat(c.call("GET", RedisService.prefix(b) + "secret")).isEqualTo("b's");
    }
  }

  @Test
  void theAppCannotRunAdministrativeOrKeyListingCommands() throws Exception {
    ServiceScope s = scope("adm");
    service.provision(s);
    try (RespConnection c = connectAs(s)) {
      for (String[] command :
          List.of(
              new String[] {"FLUSHALL"},
              new String[] {"FLUSHDB"},
              new String[] {"KEYS", "*"},
              new String[] {"SCAN", "0"},
              new String[] {"RANDOMKEY"},
              new String[] {"CONFIG", "GET", "*"},
              new String[] {"ACL", "LIST"},
              new String[] {"ACL", "SETUSER", s.resourceName(), "~*"},
              new String[] {"SHUTDOWN"})) {
        assertThatThrownBy(() -> c.call(command))
            .as(String.join(" ", command))
            .isInstanceOf(RespConnection.ErrorReply.class)
            .hasMessageStartingWith("NOPERM");
      }
    }
  }

  @Test
  void clearDeletesTheAppsKeysOnlyAndKeepsTheUser() throws Exception {
    ServiceScope s = scope("clear");
    ServiceScope other = scope("other");
    service.provision(s);
    service.provision(other);
    try (RespConnection c = connectAs(s)) {
      for (int i = 0; i < 1200; i++) {
        c.call("SET", RedisService.prefix(s) + i, "x");
      }
      c.call("SELECT", "3");
      c.call("SET", RedisService.prefix(s) + "in-db-3", "x");
    }
    try (RespConnection c = connectAs(other)) {
      c.call("SET", RedisService.prefix(other) + "stays", "x");
    }

    service.clear(s);

    try (RespConnection c = admin()) {
      assertThat(c.call("EXISTS", RedisService.prefix(s) + "0", RedisService.prefix(s) + "1199"))
          .isEqualTo(0L);
      assertThat(c.call("EXISTS", RedisService.prefix(other) + "stays")).isEqualTo(1L);
      c.call("SELECT", "3");
      assertThat(c.call("EXISTS", RedisService.prefix(s) + "in-db-3")).isEqualTo(0L);
    }
    try (RespConnection c = connectAs(s)) {
      assertThat(c.call("SET", RedisService.prefix(s) + "again", "x")).isEqualTo("OK");
    }
  }

  @Test
  void dropDeletesTheKeysTheUserAndThePassword() throws Exception {
    ServiceScope s = scope("drop");
    service.provision(s);
    try (RespConnection c = connectAs(s)) {
      c.call("SET", RedisService.prefix(s) + "k", "x");
    }

    service.drop(s);

    try (RespConnection c = admin()) {
      assertThat(c.call("EXISTS", RedisService.prefix(s) + "k")).isEqualTo(0L);
      assertThat(c.call("ACL", "USERS"))
          .asInstanceOf(InstanceOfAssertFactories.LIST)
          .doesNotContain(s.resourceName());
    }
    assertThatThrownBy(() -> service.environment(s))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("not provisioned yet");
  }

  @Test
  void testModeUsesATestPrefixedUserAndKeyPrefix() throws Exception {
    ServiceScope s = scope(LiveServer.uniqueApp("t"), ServiceMode.TEST);
    service.provision(s);

    assertThat(service.environment(s))
        .containsEntry("CONFIG_REDIS_PREFIX", "test_" + s.app() + ":")
        .containsEntry("CONFIG_REDIS_USER", "test_" + s.app().replace('-', '_'));
    try (RespConnection c = connectAs(s)) {
      assertThat(c.call("SET", "test_" + s.app() + ":k", "x")).isEqualTo("OK");
      assertThatThrownBy(() -> c.call("SET", s.app() + ":k", "x")).hasMessageStartingWith("NOPERM");
    }
  }

  @Test
  void anUnreachableServerFailsNamingTheServerAndTheFix() {
    ServiceScope s =
        LiveServer.scope(
            "nowhere", "redis", Map.of(), ServiceMode.PRODUCTION, Map.of("port", "1"), dir);

    assertThatThrownBy(() -> service.provision(s))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("cannot reach Redis at 127.0.0.1:1")
        .hasMessageContaining("[service.redis] in node.ini");
  }

  @Test
  void anAppNameUnsafeInAnAclIsRefusedBeforeConnecting() {
    ServiceScope s =
        LiveServer.scope(
            "x* ~* +@all", "redis", Map.of(), ServiceMode.PRODUCTION, Map.of("port", "1"), dir);

    assertThatThrownBy(() -> service.provision(s))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("not safe");
  }

  @Test
  void globCharactersInAPrefixMatchOnlyThemselves() {
    assertThat(RedisService.globEscape("a*b?[c]\\:")).isEqualTo("a\\*b\\?\\[c\\]\\\\:");
    assertThat(RedisService.globEscape("my-app:")).isEqualTo("my-app:");
  }

  @Test
  void aServerOlderThanRedis6IsRefusedSayingWhy() throws ServiceException {
    ServerSettings server = new ServerSettings("redis", "Redis", "db.example", 6379, "", "");

    assertThatThrownBy(() -> RedisService.version(server, "# Server\r\nredis_version:5.0.14\r\n"))
        .isInstanceOf(ServiceException.class)
        .hasMessage(
            "the Redis server at db.example:6379 is version 5.0; per-app users need ACLs, which"
                + " came with Redis 6: upgrade it");
    assertThat(RedisService.version(server, "# Server\r\nredis_version:7.0.15\r\n"))
        .containsExactly(7, 0);
  }
}
