package org.silverlining.node.service;

/**
 * {@code service.writable_root}: a folder the app writes to and the front serves publicly, after
 * the instance's {@code static/} and before the app; {@code CONFIG_WRITABLE_ROOT/HOST/...} takes
 * precedence for requests to HOST.
 */
public final class WritableRootService extends FolderService {
  public static final String FOLDER = "writable-root";

  public WritableRootService() {
    super(FOLDER, "CONFIG_WRITABLE_ROOT");
  }

  @Override
  public String name() {
    return "writable_root";
  }
}
