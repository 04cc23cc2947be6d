package org.silverlining.node.staticfiles;

import com.google.javascript.jscomp.CompilationLevel;
import com.google.javascript.jscomp.Compiler;
import com.google.javascript.jscomp.CompilerOptions;
import com.google.javascript.jscomp.JSError;
import com.google.javascript.jscomp.Result;
import com.google.javascript.jscomp.SourceFile;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.silverlining.core.InvalidConfigException;

/**
 * Joins and minifies JavaScript files with the Closure Compiler's simple optimizations: comments
 * and white space go, local names get short, and nothing global is renamed, so files written to be
 * loaded by separate {@code <script>} tags keep working joined.
 */
final class JsMinifier {
  private JsMinifier() {}

  /**
   * The minified join of {@code files}; a syntax error is an {@link InvalidConfigException} naming
   * the file (as its {@link Source#name}) and line.
   */
  static String minify(List<Source> files) {
    CompilerOptions options = new CompilerOptions();
    CompilationLevel.SIMPLE_OPTIMIZATIONS.setOptionsForCompilationLevel(options);
    // What the author wrote runs as written: no transpiling, no added runtime, no "use strict".
    options.setLanguageIn(CompilerOptions.LanguageMode.ECMASCRIPT_NEXT);
    options.setLanguageOut(CompilerOptions.LanguageMode.NO_TRANSPILE);
    options.setEmitUseStrict(false);
    // Errors are reported by the exception; warnings are not the update's concern.
    Compiler compiler = new Compiler(new PrintStream(OutputStream.nullOutputStream()));
    List<SourceFile> inputs =
        files.stream().map(f -> SourceFile.fromCode(f.name(), f.text())).toList();
    Result result = compiler.compile(List.of(), inputs, options);
    if (!result.success) {
      JSError e = result.errors.isEmpty() ? null : result.errors.get(0);
      throw e == null
          ? new InvalidConfigException(files.get(0).name(), 0, "the JavaScript minifier failed")
          : new InvalidConfigException(e.getSourceName(), e.getLineno(), e.getDescription());
    }
    return compiler.toSource();
  }

  /** A file to join: its name as the app's developer knows it, and its text. */
  record Source(String name, String text) {}
}
