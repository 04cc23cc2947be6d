package org.silverlining.node.staticfiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a {@code .gz} beside each text file of a deployment's {@code static/} folder, once, at
 * deploy time, so that serving it compressed costs no CPU. A {@code .gz} the app brought is kept as
 * it is; a file that does not get smaller is left alone.
 */
public final class Precompressor {
  /** Below this, the gzip header and the extra round of headers outweigh what is saved. */
  public static final long MIN_BYTES = 256;

  private Precompressor() {}

  /** What was done: files compressed, their bytes before and after. */
  public record Result(int files, long before, long after) {
    @Override
    public String toString() {
      return files == 0
          ? "nothing to compress"
          : files + " file(s) compressed, " + before / 1024 + " KiB → " + after / 1024 + " KiB";
    }
  }

  /** Compresses the text files below {@code dir} that have no {@code .gz} yet. */
  public static Result compress(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files =
          s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
              .filter(p -> MediaTypes.isCompressible(MediaTypes.of(p.getFileName().toString())))
              .toList();
    }
    int count = 0;
    long before = 0;
    long after = 0;
    for (Path file : files) {
      Path gz = file.resolveSibling(file.getFileName() + ".gz");
      long size = Files.size(file);
      if (size < MIN_BYTES || Files.exists(gz, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Path partial = file.resolveSibling(file.getFileName() + ".gz.partial");
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = new BestGzip(Files.newOutputStream(partial))) {
        in.transferTo(out);
      }
      long zipped = Files.size(partial);
      if (zipped >= size) {
        Files.delete(partial);
        continue;
      }
      Files.move(partial, gz);
      count++;
      before += size;
      after += zipped;
    }
    return new Result(count, before, after);
  }

  /** gzip at its best compression: done once per deployment, read many times. */
  private static final class BestGzip extends GZIPOutputStream {
    BestGzip(OutputStream out) throws IOException {
      super(out, 65536);
      def.setLevel(Deflater.BEST_COMPRESSION);
    }
  }
}
