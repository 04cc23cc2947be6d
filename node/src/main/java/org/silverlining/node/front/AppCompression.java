package org.silverlining.node.front;

import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionConfig;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.server.Handler;
import org.silverlining.node.staticfiles.MediaTypes;
import org.silverlining.node.staticfiles.Precompressor;

/**
 * gzip for the apps' own text answers (HTML, CSS, JavaScript, JSON, SVG...) to clients that accept
 * it, with {@code Vary: Accept-Encoding}. Files are not compressed here: the static files are
 * compressed once at deploy time. Request bodies are passed on as they came.
 */
public final class AppCompression {
  private AppCompression() {}

  public static Handler around(Handler next) {
    CompressionHandler h = new CompressionHandler(next);
    GzipCompression gzip = new GzipCompression();
    gzip.setMinCompressSize((int) Precompressor.MIN_BYTES);
    h.putCompression(gzip);
    CompressionConfig.Builder config = CompressionConfig.builder().decompressExcludePath("/*");
    MediaTypes.compressible().forEach(config::compressIncludeMimeType);
    h.putConfiguration("/", config.build());
    return h;
  }
}
