package org.silverlining.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.core.ResourcesIni;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code silver resources fetch APP_DIR}: local copies of resources.ini's production URLs. */
@Command(
    name = "resources",
    description = "The named resources of an app's resources.ini (see docs/static.md).",
    subcommands = {ResourcesCommand.Fetch.class})
final class ResourcesCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserException("say what to do: silver resources fetch APP_DIR");
  }

  @Command(
      name = "fetch",
      description = {
        "Download every production URL of APP_DIR/resources.ini into APP_DIR/static/_devel/, for working offline.",
        "A resource whose devel URL is /_devel/NAME is saved as static/_devel/NAME, which silver serve answers at that URL; any other under the last part of its production URL."
      })
  static final class Fetch implements Callable<Integer> {
    /** The folder of static/ that development copies go to, and its URL path. */
    static final String DEVEL = "_devel";

    @Parameters(index = "0", paramLabel = "APP_DIR")
    Path appDir;

    @Override
    public Integer call() throws Exception {
      List<ResourcesIni.Resource> resources;
      try {
        resources = ResourcesIni.read(appDir);
      } catch (InvalidConfigException e) {
        throw new UserException(e.getMessage());
      }
      HttpClient http =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .followRedirects(HttpClient.Redirect.NORMAL)
              .build();
      int fetched = 0;
      for (ResourcesIni.Resource r : resources) {
        if (r.kind() == ResourcesIni.Kind.EXTERNAL && r.production().matches("(?i)https?://.*")) {
          Path target = appDir.resolve("static").resolve(DEVEL).resolve(fileName(r));
          fetch(http, r, target);
          System.out.println(r.name() + ": " + r.production() + " -> " + appDir.relativize(target));
          fetched++;
        }
      }
      System.out.println(
          fetched == 0 ? "Nothing to fetch: no production URL." : fetched + " file(s) fetched.");
      return 0;
    }

    /** Where {@code r} is saved below {@code static/_devel/}. */
    static String fileName(ResourcesIni.Resource r) {
      String prefix = "/" + DEVEL + "/";
      String name =
          r.devel().startsWith(prefix)
              ? r.devel().substring(prefix.length())
              : URI.create(r.production()).getPath().replaceAll(".*/", "");
      if (name.isEmpty() || name.contains("..") || name.startsWith("/")) {
        throw new UserException(
            ResourcesIni.FILE_NAME
                + ":"
                + r.line()
                + ": cannot tell a file name for "
                + r.name()
                + " from "
                + r.production());
      }
      return name;
    }

    private static void fetch(HttpClient http, ResourcesIni.Resource r, Path target)
        throws IOException, InterruptedException {
      Files.createDirectories(target.getParent());
      Path partial = target.resolveSibling(target.getFileName() + ".partial");
      HttpResponse<Path> answer;
      try {
        answer =
            http.send(
                HttpRequest.newBuilder(URI.create(r.production()))
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofFile(partial));
      } catch (IOException e) {
        Files.deleteIfExists(partial);
        throw new UserException(
            ResourcesIni.FILE_NAME
                + ":"
                + r.line()
                + ": cannot fetch "
                + r.production()
                + ": "
                + e);
      }
      if (answer.statusCode() != 200) {
        Files.deleteIfExists(partial);
        throw new UserException(
            ResourcesIni.FILE_NAME
                + ":"
                + r.line()
                + ": "
                + r.production()
                + " answered "
                + answer.statusCode());
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
