package org.silverlining.node.monitor;

import java.time.Instant;

/**
 * A certificate the node serves, as the monitor sees it: its expiry is a metric ({@code
 * silver_certificate_expiry_seconds}) and an alert when it comes near.
 *
 * @param host the host it is kept under ({@code www.example.com}, {@code *.example.com})
 * @param source where it came from: {@code acme} or {@code uploaded}
 * @param notAfter the end of its validity
 */
public record ServedCertificate(String host, String source, Instant notAfter) {}
