package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code silver certs [add|remove]}: the certificates the node's HTTPS front serves. */
@Command(
    name = "certs",
    description = {
      "List the certificates of the node's HTTPS front: host, status (issued, pending,"
          + " failed: the CA's words), issuer, expiry and source (acme or uploaded).",
      "The node gets a certificate by ACME for every exact host of a live location"
          + " (not default, wildcards, IP addresses or *.localhost) and renews it when a third"
          + " of its lifetime is left."
    },
    subcommands = {CertsCommand.Add.class, CertsCommand.Remove.class})
final class CertsCommand implements Callable<Integer> {
  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    JsonNode r = node.client().get("certs", Map.of());
    if (output.printed(r)) {
      return 0;
    }
    if (r.path("certs").isEmpty()) {
      System.out.println("No certificates: none wanted yet (no live location has a host name).");
      return 0;
    }
    Table table = new Table("HOST", "STATUS", "ISSUER", "NOT AFTER", "SOURCE");
    for (JsonNode c : r.path("certs")) {
      table.row(
          c.path("host").asText(),
          c.path("status").asText(),
          c.path("issuer").asText("-"),
          c.path("not_after").asText("-"),
          c.path("source").asText());
    }
    table.print(System.out);
    return 0;
  }

  @Command(
      name = "add",
      description = {
        "Serve your own certificate for HOST (a wildcard *.example.com serves every"
            + " location under it). CERT holds the certificate and its chain, leaf first;"
            + " KEY its private key (PEM).",
        "Refused when the key does not match, the chain is broken, the certificate has"
            + " expired or is not for HOST."
      })
  static final class Add implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "HOST", description = "e.g. www.example.com")
    String host;

    @Parameters(index = "1", paramLabel = "CERT.pem", description = "Certificate and chain.")
    Path cert;

    @Parameters(index = "2", paramLabel = "KEY.pem", description = "Its private key.")
    Path key;

    @Mixin JsonOption output;

    @Mixin NodeOption node;

    @Override
    public Integer call() throws Exception {
      String pem = read(cert, "certificate") + "\n" + read(key, "key");
      JsonNode r = node.client().postText("certs/add", Map.of("host", host), pem);
      if (!output.printed(r)) {
        System.out.println(
            "Certificate for "
                + r.path("host").asText()
                + " from "
                + r.path("issuer").asText()
                + ", valid until "
                + r.path("not_after").asText()
                + ", served from now on");
      }
      return 0;
    }

    private static String read(Path file, String what) {
      try {
        return Files.readString(file, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new UserException("cannot read the " + what + " file " + file + ": " + e);
      }
    }
  }

  @Command(
      name = "remove",
      description = {
        "Stop serving HOST's certificate and delete it. One the node got by ACME is revoked"
            + " at the CA first; while the host stays live, the node gets a new one."
      })
  static final class Remove implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "HOST", description = "e.g. www.example.com")
    String host;

    @Mixin JsonOption output;

    @Mixin NodeOption node;

    @Override
    public Integer call() throws Exception {
      JsonNode r = node.client().post("certs/remove", Map.of("host", host));
      if (!output.printed(r)) {
        String revoked = r.path("revoked").asText();
        System.out.println(
            "Certificate for "
                + r.path("host").asText()
                + " removed"
                + (revoked.equals("yes")
                    ? " and revoked"
                    : revoked.startsWith("failed") ? " (revocation " + revoked + ")" : ""));
      }
      return 0;
    }
  }
}
