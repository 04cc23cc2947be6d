package org.silverlining.node.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateCheckTest {
  static TestCertificates.Issued ca;
  static TestCertificates.Issued leaf;

  @BeforeAll
  static void make() throws Exception {
    ca = TestCertificates.ca("Test CA");
    leaf = TestCertificates.leaf(ca, "www.example.com", "example.com");
  }

  static Pem.Contents pem(String text) {
    return Pem.read(text);
  }

  @Test
  void aMatchingChainAndKeyForTheHostAreKept() {
    StoredCertificate c =
        CertificateCheck.check(
            "www.example.com",
            pem(Pem.write(List.of(leaf.cert(), ca.cert()), leaf.key())),
            StoredCertificate.UPLOADED,
            Instant.now());
    assertThat(c.chain()).hasSize(2);
    assertThat(c.issuer()).isEqualTo("Test CA");
    assertThat(c.names()).containsExactly("www.example.com", "example.com");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedAsNotMatching() throws Exception {
    TestCertificates.Issued other = TestCertificates.leaf(ca, "www.example.com");
    assertThatThrownBy(
            () ->
                CertificateCheck.check(
                    "www.example.com",
                    pem(Pem.write(leaf.cert(), other.key())),
                    StoredCertificate.UPLOADED,
                    Instant.now()))
        .hasMessageContaining("does not match");
  }

  @Test
  void aChainWhoseSecondCertificateDidNotIssueTheFirstIsRefusedAsBroken() throws Exception {
    TestCertificates.Issued otherCa = TestCertificates.ca("Other CA");
    assertThatThrownBy(
            () ->
                CertificateCheck.check(
                    "www.example.com",
                    pem(Pem.write(List.of(leaf.cert(), otherCa.cert()), leaf.key())),
                    StoredCertificate.UPLOADED,
                    Instant.now()))
        .hasMessageContaining("chain is broken");
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    Instant now = Instant.now();
    TestCertificates.Issued old =
        TestCertificates.leaf(
            ca, now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)), "www.example.com");
    assertThatThrownBy(
            () ->
                CertificateCheck.check(
                    "www.example.com",
                    pem(Pem.write(old.cert(), old.key())),
                    StoredCertificate.UPLOADED,
                    now))
        .hasMessageContaining("expired");
  }

  @Test
  void aCertificateForOtherNamesIsRefusedNamingThem() {
    assertThatThrownBy(
            () ->
                CertificateCheck.check(
                    "shop.example.org",
                    pem(Pem.write(leaf.cert(), leaf.key())),
                    StoredCertificate.UPLOADED,
                    Instant.now()))
        .hasMessageContaining("for www.example.com, example.com, not shop.example.org");
  }

  @Test
  void aWildcardCertificateServesTheWildcardHostAndOneLabelBelowIt() throws Exception {
    TestCertificates.Issued wild = TestCertificates.leaf(ca, "*.example.net");
    StoredCertificate c =
        CertificateCheck.check(
            "*.example.net",
            pem(Pem.write(wild.cert(), wild.key())),
            StoredCertificate.UPLOADED,
            Instant.now());
    assertThat(c.covers("a.example.net")).isTrue();
    assertThat(c.covers("a.b.example.net")).isFalse();
    assertThat(c.covers("example.net")).isFalse();
  }

  @Test
  void missingPartsAreNamed() {
    assertThatThrownBy(
            () ->
                CertificateCheck.check(
                    "www.example.com",
                    pem(Pem.write(leaf.key())),
                    StoredCertificate.UPLOADED,
                    Instant.now()))
        .hasMessageContaining("no certificate");
    assertThatThrownBy(
            () ->
                CertificateCheck.check(
                    "www.example.com",
                    pem(Pem.write(leaf.cert())),
                    StoredCertificate.UPLOADED,
                    Instant.now()))
        .hasMessageContaining("no private key");
  }
}
