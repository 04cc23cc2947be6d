package org.silverlining.node.middleware;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.silverlining.core.AppArchive;
import org.silverlining.node.errors.InvalidRequestException;
import org.silverlining.node.layout.Trees;

/**
 * The packs the node can apply: the built-in ones (one explicit list) and the third-party ones
 * installed from a folder, each version kept in {@code DIR/NAME/VERSION/}. A name means the version
 * installed last; an applied pack keeps the version it was applied with.
 */
public final class Packs {
  private final List<Pack> builtIn =
      List.of(
          new PasswordPack(),
          new AllowPack(),
          new DisablePack(),
          new ErrorsPack(),
          new HeadersPack(),
          new AuthRequestPack(),
          new RateLimitPack());
  private final Path dir;
  private final ThirdPartyPack.Runner runner;

  /** Built-in packs, and third-party ones in {@code dir}, run by {@code runner}. */
  public Packs(Path dir, ThirdPartyPack.Runner runner) {
    this.dir = dir;
    this.runner = runner;
  }

  /** Every pack: built in first, then the newest version of each third-party one. */
  public List<Pack> all() {
    List<Pack> all = new ArrayList<>(builtIn);
    for (Path name : list(dir)) {
      newest(name).ifPresent(all::add);
    }
    return all;
  }

  /** The pack called {@code name}: built in, or the version of it installed last. */
  public Optional<Pack> named(String name) {
    return all().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The pack {@code name} at {@code version} (a built-in pack has one version: its own). */
  public Optional<Pack> named(String name, String version) {
    for (Pack p : builtIn) {
      if (p.name().equals(name)) {
        return Optional.of(p);
      }
    }
    return load(dir.resolve(name).resolve(version));
  }

  /**
   * Installs the pack folder {@code archive} holds (a {@code .tar.gz}), replacing the same name and
   * version, and returns it.
   */
  public Pack install(InputStream archive) throws IOException {
    Files.createDirectories(dir);
    Path incoming = Files.createTempDirectory(dir, ".incoming-");
    try {
      AppArchive.unpack(archive, incoming);
      PackManifest m = PackManifest.read(incoming);
      if (builtIn.stream().anyMatch(p -> p.name().equals(m.name()))) {
        throw new InvalidRequestException(
            "'" + m.name() + "' is a built-in pack; give the pack another name in middleware.ini");
      }
      Path target = dir.resolve(m.name()).resolve(m.version());
      Files.createDirectories(target.getParent());
      Trees.delete(target);
      Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
      // The last installed is the newest: a folder's time says when.
      Files.setLastModifiedTime(target, FileTime.fromMillis(System.currentTimeMillis()));
      return new ThirdPartyPack(m, target, runner);
    } finally {
      Trees.delete(incoming);
    }
  }

  private Optional<Pack> newest(Path name) {
    return list(name).stream().max(Comparator.comparing(Packs::modified)).flatMap(this::load);
  }

  private Optional<Pack> load(Path versionDir) {
    if (!Files.isDirectory(versionDir)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ThirdPartyPack(PackManifest.read(versionDir), versionDir, runner));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> list(Path d) {
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
