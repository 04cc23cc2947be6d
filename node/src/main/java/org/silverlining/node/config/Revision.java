package org.silverlining.node.config;

import java.time.Instant;

/**
 * One revision of an app's configuration: its number (1, 2, 3… in the order they were made, never
 * reused), the git commit that holds it, who made it and when (to the second), the message, and how
 * many files its tree has (0 for a deletion).
 */
public record Revision(
    int number, String commitId, String who, Instant when, String message, int files) {}
