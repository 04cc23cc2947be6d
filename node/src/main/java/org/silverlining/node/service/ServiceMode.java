package org.silverlining.node.service;

/** Why a service is being used: a deployed app, {@code silver serve}, or {@code silver test}. */
public enum ServiceMode {
  PRODUCTION,
  DEVEL,
  /** Throw-away resources named {@code test_APP}, created empty and dropped after the run. */
  TEST
}
