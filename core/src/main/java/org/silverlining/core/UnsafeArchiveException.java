package org.silverlining.core;

/** An archive entry that would write outside the application's folder. Nothing is kept. */
public class UnsafeArchiveException extends RuntimeException {
  public UnsafeArchiveException(String entry, String why) {
    super("unsafe archive: entry '" + entry + "' " + why + "; nothing was installed");
  }
}
