package org.silverlining.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Function;

/**
 * A file the node replaces atomically (a new file renamed over the old), read and parsed again only
 * when it was replaced: its inode, modification time or size changed.
 */
final class NodeFile<T> {
  private final Function<String, T> parser;
  private Path path;
  private Object stamp;
  private T value;

  NodeFile(Function<String, T> parser) {
    this.parser = parser;
  }

  /** The parsed content of {@code file}, read again when it changed since the last call. */
  synchronized T get(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      Object now = java.util.List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
      if (!file.equals(path) || !Objects.equals(now, stamp)) {
        value = parser.apply(Files.readString(file, StandardCharsets.UTF_8));
        path = file;
        stamp = now;
      }
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
