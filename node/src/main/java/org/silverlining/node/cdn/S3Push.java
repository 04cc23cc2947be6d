package org.silverlining.node.cdn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Uploads a deployment's {@code static/} folder to S3-compatible storage, one object per file
 * (precompressed variants included, see {@link ObjectHeaders}), and deletes them again when the
 * deployment is undone. Path-style requests, so any S3-compatible store answers, not only AWS.
 */
public final class S3Push implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(S3Push.class);

  /** How long the storage may take to accept a connection, and to answer each read. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  /** A progress note after this many files, for folders large enough to take a while. */
  private static final int NOTE_EVERY = 200;

  private final CdnSettings settings;
  private final S3Client client;

  public S3Push(CdnSettings settings) {
    this.settings = settings;
    this.client =
        S3Client.builder()
            .endpointOverride(settings.endpoint())
            .region(Region.of(settings.region()))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .socketTimeout(READ_TIMEOUT))
            // The SDK's default trailing checksums are AWS's own; many S3-compatible stores
            // refuse them. Checksums only where an operation requires one.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            // Whole signed bodies, not aws-chunked: some stores keep "aws-chunked" in the
            // object's Content-Encoding, which browsers would then be sent.
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
            .build();
  }

  /** What an upload stored: the keys, and the bytes of their files. */
  public record Result(String where, List<String> keys, long bytes) {
    @Override
    public String toString() {
      return keys.size() + " file(s), " + bytes / 1024 + " KiB to " + where;
    }
  }

  /**
   * Puts every regular file below {@code dir} at {@code KEYROOT/PATH} below the target's prefix;
   * {@code note} hears how far it got, every {@value #NOTE_EVERY} files.
   */
  public Result upload(Path dir, String keyRoot, Consumer<String> note)
      throws IOException, CdnPushException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    }
    List<String> keys = new ArrayList<>();
    long bytes = 0;
    try {
      for (Path file : files) {
        String key = settings.target().key(keyRoot + "/" + relative(dir, file));
        ObjectHeaders h = ObjectHeaders.of(file);
        client.putObject(
            PutObjectRequest.builder()
                .bucket(settings.target().bucket())
                .key(key)
                .contentType(h.contentType())
                .contentEncoding(h.contentEncoding())
                .cacheControl(ObjectHeaders.CACHE_CONTROL)
                .build(),
            RequestBody.fromFile(file));
        keys.add(key);
        bytes += Files.size(file);
        if (keys.size() % NOTE_EVERY == 0) {
          note.accept(
              "push: " + keys.size() + " of " + files.size() + " files, " + bytes / 1024 + " KiB");
        }
      }
    } catch (SdkException e) {
      deleteQuietly(keys);
      throw CdnPushException.of("the upload of static/", settings, e);
    }
    String where = "s3://" + settings.target().bucket() + "/" + settings.target().key(keyRoot);
    return new Result(where, List.copyOf(keys), bytes);
  }

  /** Deletes {@code keys}, as the undo of an upload. */
  public void delete(List<String> keys) throws CdnPushException {
    try {
      for (String key : keys) {
        client.deleteObject(b -> b.bucket(settings.target().bucket()).key(key));
      }
    } catch (SdkException e) {
      throw CdnPushException.of("removing the uploaded files", settings, e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** Takes back a partial upload as far as the storage lets it (it may be what just failed). */
  private void deleteQuietly(List<String> keys) {
    try {
      delete(keys);
    } catch (CdnPushException e) {
      // The objects stay below a version no page refers to; the upload's own error is the news.
      log.warn("{}", e.getMessage());
    }
  }

  private static String relative(Path dir, Path file) {
    return dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }
}
