package org.silverlining.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.silverlining.core.AppArchive;

/** Moves configuration folders to and from a node, packed like an app (a gzipped tar). */
final class ConfigTransfer {
  private ConfigTransfer() {}

  /** Uploads {@code dir} to be named by a deployment or a change; returns the upload's id. */
  static String stage(ApiClient api, Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new UserException(dir + " is not a folder; a configuration is a folder of files");
    }
    Path archive = Files.createTempFile("silver-config", ".tar.gz");
    try {
      try (OutputStream o = Files.newOutputStream(archive)) {
        AppArchive.pack(dir, o);
      }
      return api.postFile("config/stage", Map.of(), archive).path("id").asText();
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  /**
   * Writes revision {@code revision} (null: the newest) of {@code location} into {@code target}.
   */
  static void dump(ApiClient api, String location, String revision, Path target)
      throws IOException {
    if (Files.exists(target)) {
      try (var s = Files.list(target)) {
        if (s.findAny().isPresent()) {
          throw new UserException(target + " exists and is not empty; name a new folder");
        }
      }
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("location", location);
    params.put("revision", revision);
    Path archive = Files.createTempFile("silver-config", ".tar.gz");
    try {
      api.download("config/archive", params, archive);
      try (InputStream in = Files.newInputStream(archive)) {
        AppArchive.unpack(in, target);
      }
    } finally {
      Files.deleteIfExists(archive);
    }
  }
}
