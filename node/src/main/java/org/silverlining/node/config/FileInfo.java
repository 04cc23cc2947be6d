package org.silverlining.node.config;

/** A file of a configuration revision: its path relative to the tree ({@code /}-separated). */
public record FileInfo(String path, long size) {}
