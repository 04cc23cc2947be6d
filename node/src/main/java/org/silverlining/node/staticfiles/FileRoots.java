package org.silverlining.node.staticfiles;

import java.nio.file.Path;

/**
 * Where one deployment's files are answered from, in the order they are tried. Any folder may be
 * {@code null}.
 *
 * @param app the app's name, which with a version names an earlier deployment
 * @param instance the deployment ({@code APP.YYYYMMDD_NNN})
 * @param staticDir the folder answered at the location's root: the deployment's {@code static/}, or
 *     a static app's own folder
 * @param versionedDir the deployment's {@code static/} folder, answered below its {@code
 *     $STATIC_URL} with far-future caching
 * @param phpRoot a PHP app's document root, whose files other than scripts are answered
 * @param writableRoot the app's {@code writable_root} folder ({@code HOST/} below it first)
 */
public record FileRoots(
    String app,
    String instance,
    Path staticDir,
    Path versionedDir,
    Path phpRoot,
    Path writableRoot) {

  /** No folder: every request goes to the app. */
  public static FileRoots none(String app, String instance) {
    return new FileRoots(app, instance, null, null, null, null);
  }
}
