package org.silverlining.node.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.CdnTarget;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What a failed push says: where, what the storage said, and what to change; never the keys. */
class S3PushTest {
  @TempDir Path dir;

  @Test
  void aStorageThatDoesNotAnswerFailsTheUploadNamingTheEndpointSetting() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Files.writeString(dir.resolve("site.css"), "p {}");
    CdnSettings settings = settings("http://127.0.0.1:" + closedPort);

    try (S3Push push = new S3Push(settings)) {
      assertThatThrownBy(() -> push.upload(dir, "static/20261207_001", note -> {}))
          .isInstanceOf(CdnPushException.class)
          .hasMessageStartingWith(
              "the upload of static/ to s3://b-static/p at http://127.0.0.1:"
                  + closedPort
                  + " failed: cannot reach the storage")
          .hasMessageContaining("check cdn_endpoint")
          .hasMessageNotContaining("shh");
    }
  }

  @Test
  void aMissingBucketAndRefusedKeysSayWhatToChange() {
    CdnSettings settings = settings("https://s3.example.com");

    assertThat(CdnPushException.of("the upload", settings, refusal(404, "NoSuchBucket")))
        .hasMessage(
            "the upload to s3://b-static/p at https://s3.example.com failed: there is no bucket"
                + " 'b-static' there; create it, or correct cdn (app.ini or global configuration)");
    assertThat(CdnPushException.of("the upload", settings, refusal(403, "InvalidAccessKeyId")))
        .hasMessageContaining("the storage refused the keys (InvalidAccessKeyId)")
        .hasMessageContaining("cdn_access_key", "cdn_secret_key");
    assertThat(CdnPushException.of("the upload", settings, refusal(403, "AccessDenied")))
        .hasMessageContaining("may not write there (AccessDenied)");
    assertThat(CdnPushException.of("the upload", settings, refusal(503, "SlowDown")))
        .hasMessageEndingWith("the storage answered HTTP 503 (SlowDown)");
  }

  private static CdnSettings settings(String endpoint) {
    return new CdnSettings(
        CdnTarget.parse("s3://b-static/p"), URI.create(endpoint), "us-east-1", "AKID", "shh");
  }

  private static S3Exception refusal(int status, String code) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
            .build();
  }
}
