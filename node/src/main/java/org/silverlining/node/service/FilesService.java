package org.silverlining.node.service;

/** {@code service.files}: a private folder that survives deployments, in {@code CONFIG_FILES}. */
public final class FilesService extends FolderService {
  public FilesService() {
    super("files", "CONFIG_FILES");
  }

  @Override
  public String name() {
    return "files";
  }
}
