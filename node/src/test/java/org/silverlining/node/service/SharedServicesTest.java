package org.silverlining.node.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.AppConfig;
import org.silverlining.core.IniFile;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.NotFoundException;

class SharedServicesTest {
  @TempDir Path dir;

  private final Services services = Services.standard();

  private SharedServices shared() {
    AppServices local =
        config ->
            services.bind(
                config,
                ServiceMode.PRODUCTION,
                dir.resolve(config.appName()),
                Map.of(),
                new ServiceSecrets(dir.resolve(config.appName()).resolve("secrets")));
    return new SharedServices(local, services, app -> dir.resolve(app).resolve("secrets"));
  }

  private static AppConfig app() {
    return AppConfig.parse(
        IniFile.parse(
            "app.ini",
            "[production]\napp_name = blog\nrunner = app.py\nservice.postgresql =\n"
                + "service.files =\n"),
        false);
  }

  @Test
  void providedServicesAreLeftOutOfProvisioningAndGiveTheKeptVariables() throws Exception {
    SharedServices shared = shared();
    shared.keep(
        "blog",
        "db",
        Map.of("postgresql", Map.of("CONFIG_PG_HOST", "10.0.0.5", "CONFIG_PG_PASSWORD", "s3")));

    assertThat(shared.bind(app())).extracting(b -> b.service().name()).containsExactly("files");
    Map<String, String> env = shared.environment(app());
    assertThat(env)
        .containsEntry("CONFIG_PG_HOST", "10.0.0.5")
        .containsEntry("CONFIG_PG_PASSWORD", "s3")
        .containsEntry("CONFIG_FILES", dir.resolve("blog").resolve("files").toString());
    assertThat(shared.load("blog").provider()).isEqualTo("db");
    Path file = dir.resolve("blog/secrets").resolve(SharedServices.FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(shared.forget("blog")).isTrue();
    assertThat(shared.bind(app()))
        .extracting(b -> b.service().name())
        .containsExactlyInAnyOrder("postgresql", "files");
  }

  @Test
  void withNothingKeptTheAppsServicesAreItsOwn() throws Exception {
    assertThat(shared().bind(app()))
        .extracting(b -> b.service().name())
        .containsExactlyInAnyOrder("postgresql", "files");
    assertThat(shared().load("blog").provider()).isNull();
  }

  @Test
  void aFolderServiceOrAVariableNotNamedConfigIsRefusedKeepingNothing() {
    SharedServices shared = shared();
    assertThatThrownBy(
            () -> shared.keep("blog", "db", Map.of("files", Map.of("CONFIG_FILES", "/x"))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("'files' is not a service a services node provides");
    assertThatThrownBy(() -> shared.keep("blog", "db", Map.of("postgresql", Map.of("PATH", "/x"))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("'PATH' is not a CONFIG_* variable name");
    assertThat(Files.exists(dir.resolve("blog/secrets").resolve(SharedServices.FILE))).isFalse();
  }

  @Test
  void theServicesNodeBindsWhatItLastProvidedForAnAppFromTheAppsNameAlone() throws Exception {
    ServiceProvider provider =
        new ServiceProvider(
            config ->
                services.bind(
                    config,
                    ServiceMode.PRODUCTION,
                    dir.resolve(config.appName()),
                    Map.of(),
                    new ServiceSecrets(dir.resolve(config.appName()).resolve("secrets"))),
            app -> dir.resolve(app).resolve("provided-app.ini"));

    assertThatThrownBy(() -> provider.provided("blog"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("provides no services for blog");
    assertThatThrownBy(() -> provider.provided("../etc"))
        .isInstanceOf(InvalidParameterException.class);
    Files.createDirectories(dir.resolve("blog"));
    Files.writeString(
        dir.resolve("blog/provided-app.ini"),
        "[production]\napp_name = other\nrunner = app.py\nservice.postgresql =\nservice.files =\n");
    // Only the server-backed services, under the name they were provided for.
    assertThat(provider.provided("blog"))
        .extracting(b -> b.service().name() + " " + b.scope().app())
        .containsExactly("postgresql blog");
  }

  @Test
  void appServersReachALoopbackServerAtTheServicesNodesAddressUnlessOneIsAdvertised() {
    assertThat(ServiceProvider.advertised(Map.of("host", "127.0.0.1"), "10.0.0.5"))
        .containsEntry("host", "10.0.0.5");
    assertThat(ServiceProvider.advertised(Map.of(), "10.0.0.5")).containsEntry("host", "10.0.0.5");
    assertThat(ServiceProvider.advertised(Map.of("host", "db.internal"), "10.0.0.5"))
        .containsEntry("host", "db.internal");
    assertThat(
            ServiceProvider.advertised(
                Map.of("host", "127.0.0.1", "advertise_host", "10.1.1.1", "advertise_port", "6432"),
                "10.0.0.5"))
        .containsEntry("host", "10.1.1.1")
        .containsEntry("port", "6432");
  }

  @Test
  void theReplicationLineAdmitsTheRoleFromOneAddressWithAPassword() {
    assertThat(PostgresReplication.hbaLine("10.0.0.7"))
        .isEqualTo("host replication silver_replication 10.0.0.7/32 scram-sha-256");
    assertThat(PostgresReplication.slot("Replica-1")).isEqualTo("silver_replica_1");
  }
}
