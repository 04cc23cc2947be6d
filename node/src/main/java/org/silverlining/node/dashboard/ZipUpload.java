package org.silverlining.node.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.silverlining.core.AppConfig;
import org.silverlining.node.errors.InvalidParameterException;

/**
 * An app folder uploaded as a zip on the deploy page, unpacked into a new folder with every entry
 * checked first: a name that leaves the folder (absolute, {@code ..}, a drive or backslash), a
 * duplicate, too many entries or too many bytes once unpacked (counted as written, whatever the zip
 * claims) fail the whole upload, naming the entry. The app is the zip's top folder when it has an
 * {@code app.ini}, else its single top folder.
 */
final class ZipUpload {
  /** The largest zip the deploy page takes. */
  static final long MAX_ZIP_BYTES = 256L * 1024 * 1024;

  /** The most bytes a zip may unpack to. */
  static final long MAX_UNPACKED_BYTES = 1024L * 1024 * 1024;

  static final int MAX_ENTRIES = 50_000;

  /** The form field of the upload, named in every refusal. */
  static final String FIELD = "zip";

  private final long maxUnpacked;
  private final int maxEntries;

  ZipUpload() {
    this(MAX_UNPACKED_BYTES, MAX_ENTRIES);
  }

  ZipUpload(long maxUnpacked, int maxEntries) {
    this.maxUnpacked = maxUnpacked;
    this.maxEntries = maxEntries;
  }

  /**
   * Unpacks {@code zip} into the new folder {@code target} and returns the app's folder in it;
   * refused ({@link InvalidParameterException} naming {@link #FIELD}) when the upload is not a zip,
   * is unsafe or too big, or holds no app. The caller deletes {@code target}.
   */
  Path unpack(Path zip, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    Files.createDirectories(root);
    try (ZipFile z = new ZipFile(zip.toFile())) {
      if (z.size() > maxEntries) {
        throw refused("it holds " + z.size() + " entries, more than " + maxEntries);
      }
      long written = 0;
      Enumeration<? extends ZipEntry> entries = z.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        Path dest = destination(root, e.getName());
        if (e.isDirectory()) {
          Files.createDirectories(dest);
          continue;
        }
        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
          throw refused(e.getName() + " appears twice");
        }
        Files.createDirectories(dest.getParent());
        try (InputStream in = z.getInputStream(e);
            OutputStream out = Files.newOutputStream(dest)) {
          byte[] buf = new byte[65536];
          int n;
          while ((n = in.read(buf)) > 0) {
            written += n;
            if (written > maxUnpacked) {
              throw refused(
                  "it unpacks to more than "
                      + maxUnpacked / (1024 * 1024)
                      + " MiB (at "
                      + e.getName()
                      + ")");
            }
            out.write(buf, 0, n);
          }
        } catch (ZipException x) {
          throw refused(e.getName() + " cannot be read: " + x.getMessage());
        }
      }
    } catch (ZipException e) {
      throw refused("it is not a zip archive (" + e.getMessage() + ")");
    }
    return appFolder(root);
  }

  /** Where entry {@code name} goes under {@code root}; refused when it would leave it. */
  static Path destination(Path root, String name) {
    if (name.isEmpty()
        || name.startsWith("/")
        || name.contains("\\")
        || name.indexOf('\0') >= 0
        || (name.length() > 1 && name.charAt(1) == ':')) {
      throw refused("the entry '" + name + "' has an absolute or unsafe name");
    }
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        throw refused("the entry '" + name + "' leaves the app's folder (..)");
      }
    }
    Path dest = root.resolve(name).normalize();
    if (!dest.startsWith(root) || dest.equals(root)) {
      throw refused("the entry '" + name + "' leaves the app's folder");
    }
    return dest;
  }

  /** The folder with the app.ini: {@code root}, or its only folder. */
  private static Path appFolder(Path root) throws IOException {
    if (AppConfig.exists(root)) {
      return root;
    }
    List<Path> top;
    try (Stream<Path> s = Files.list(root)) {
      top = s.toList();
    }
    if (top.size() == 1 && Files.isDirectory(top.get(0)) && AppConfig.exists(top.get(0))) {
      return top.get(0);
    }
    throw refused(
        "it holds no app: app.ini must be at its top or in its one top folder (zip the app's"
            + " folder itself)");
  }

  private static InvalidParameterException refused(String why) {
    return new InvalidParameterException(FIELD, "the uploaded zip was refused: " + why);
  }
}
