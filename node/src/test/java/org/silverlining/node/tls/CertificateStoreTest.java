package org.silverlining.node.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateStoreTest {
  @TempDir Path dir;
  static TestCertificates.Issued ca;

  @BeforeAll
  static void make() throws Exception {
    ca = TestCertificates.ca("Store CA");
  }

  static StoredCertificate cert(String host, String... names) throws Exception {
    TestCertificates.Issued l = TestCertificates.leaf(ca, names);
    return new StoredCertificate(host, List.of(l.cert(), ca.cert()), l.key(), "acme");
  }

  @Test
  void aKeptCertificateIsThereAfterReopeningWithItsChainKeyAndSource() throws Exception {
    CertificateStore store = CertificateStore.open(dir);
    StoredCertificate c = cert("a.example.com", "a.example.com");
    store.put(c);
    StoredCertificate again = CertificateStore.open(dir).get("a.example.com").orElseThrow();
    assertThat(again.chain()).isEqualTo(c.chain());
    assertThat(again.key().getEncoded()).isEqualTo(c.key().getEncoded());
    assertThat(again.source()).isEqualTo("acme");
  }

  @Test
  void theFileHoldingTheKeyIsReadableByItsOwnerOnly() throws Exception {
    CertificateStore store = CertificateStore.open(dir.resolve("certs"));
    store.put(cert("a.example.com", "a.example.com"));
    Path file = store.folderOf("a.example.com").resolve(CertificateStore.FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("certs"))))
        .isEqualTo("rwx------");
  }

  @Test
  void aWriteLeftHalfDoneByAKilledNodeIsDroppedAndTheWholeFileServed() throws Exception {
    CertificateStore store = CertificateStore.open(dir);
    StoredCertificate c = cert("a.example.com", "a.example.com");
    store.put(c);
    Path tmp = store.folderOf("a.example.com").resolve("." + CertificateStore.FILE + ".tmp");
    Files.writeString(tmp, "-----BEGIN PRIVATE KEY-----\nMIIE");
    CertificateStore reopened = CertificateStore.open(dir);
    assertThat(tmp).doesNotExist();
    assertThat(reopened.get("a.example.com").orElseThrow().leaf()).isEqualTo(c.leaf());
  }

  @Test
  void aWildcardCertificateServesNamesOneLabelBelowIt() throws Exception {
    CertificateStore store = CertificateStore.open(dir);
    store.put(cert("*.example.com", "*.example.com"));
    assertThat(store.folderOf("*.example.com").getFileName().toString()).isEqualTo("_.example.com");
    assertThat(CertificateStore.open(dir).forHost("shop.example.com")).isPresent();
    assertThat(store.forHost("example.com")).isEmpty();
  }

  @Test
  void anExactCertificateWinsOverAWildcard() throws Exception {
    CertificateStore store = CertificateStore.open(dir);
    store.put(cert("*.example.com", "*.example.com"));
    store.put(cert("shop.example.com", "shop.example.com"));
    assertThat(store.forHost("SHOP.example.com").orElseThrow().host())
        .isEqualTo("shop.example.com");
  }

  @Test
  void aRemovedCertificateIsNeitherServedNorKept() throws Exception {
    CertificateStore store = CertificateStore.open(dir);
    store.put(cert("a.example.com", "a.example.com"));
    assertThat(store.remove("a.example.com")).isTrue();
    assertThat(store.forHost("a.example.com")).isEmpty();
    assertThat(store.folderOf("a.example.com")).doesNotExist();
    assertThat(store.remove("a.example.com")).isFalse();
  }
}
