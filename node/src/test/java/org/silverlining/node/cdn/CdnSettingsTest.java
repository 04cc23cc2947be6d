package org.silverlining.node.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CdnSettingsTest {
  private static final Map<String, String> GLOBAL =
      Map.of(
          "cdn", "s3://node-static/all",
          "cdn_endpoint", "http://127.0.0.1:9000/",
          "cdn_access_key", "AKID",
          "cdn_secret_key", "shh");

  @Test
  void appIniCdnWinsOverTheGlobalOneAndTheRegionDefaultsToUsEast1() {
    CdnSettings s = CdnSettings.of(Map.of("cdn", "s3://blog-static/b"), GLOBAL);

    assertThat(s.target().bucket()).isEqualTo("blog-static");
    assertThat(s.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000/"));
    assertThat(s.region()).isEqualTo("us-east-1");
    assertThat(CdnSettings.of(Map.of(), GLOBAL).target().prefix()).isEqualTo("all");
  }

  @Test
  void withoutACdnThereIsNoPush() {
    assertThat(CdnSettings.of(Map.of(), Map.of("cdn_endpoint", "https://s3.example.com"))).isNull();
    assertThat(CdnSettings.publicBase(Map.of(), Map.of())).isNull();
  }

  @Test
  void aCdnWithoutTheEndpointOrKeysSaysWhatToSet() {
    assertThatThrownBy(() -> CdnSettings.of(Map.of("cdn", "s3://blog-static"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cdn = s3://blog-static needs")
        .hasMessageContaining("cdn_endpoint", "cdn_access_key", "cdn_secret_key");
  }

  @Test
  void thePublicBaseIsTheBucketsPathStyleUrl() {
    assertThat(CdnSettings.publicBase(Map.of(), GLOBAL))
        .isEqualTo("http://127.0.0.1:9000/node-static/all");
    assertThat(CdnSettings.publicBase(Map.of("cdn", "s3://root-bucket"), GLOBAL))
        .isEqualTo("http://127.0.0.1:9000/root-bucket");
  }

  @Test
  void itsTextNamesWhereButNeverTheKeys() {
    CdnSettings s = CdnSettings.of(Map.of(), GLOBAL);

    assertThat(s.toString()).contains("s3://node-static/all at http://127.0.0.1:9000/");
    assertThat(s.toString()).doesNotContain("shh", "AKID");
  }
}
