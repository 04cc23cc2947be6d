package org.silverlining.node.service;

import java.util.regex.Pattern;

/**
 * Quoting of names and values for the SQL that cannot take parameters: the DDL that creates roles,
 * users and databases. Every name and password goes through here; none is pasted into SQL as is.
 * Names are also checked against {@link #RESOURCE_NAME} first, so quoting is a second line of
 * defence, not the only one.
 */
final class SqlQuoting {
  /** What a database, role or user name may be: PostgreSQL's 63-byte limit, lower case. */
  static final Pattern RESOURCE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private SqlQuoting() {}

  /**
   * The scope's resource name, refused unless it matches {@link #RESOURCE_NAME}. App names are
   * checked when app.ini is read; this guards the services against a scope built any other way.
   */
  static String checkedName(ServiceScope scope, String service) throws ServiceException {
    String name = scope.resourceName();
    if (!RESOURCE_NAME.matcher(name).matches()) {
      throw new ServiceException(
          "service."
              + service
              + ": app '"
              + scope.app()
              + "' gives the name '"
              + name
              + "', which is not safe for a database; app names are [a-z][a-z0-9-]*, at most 58"
              + " characters");
    }
    return name;
  }

  /** A PostgreSQL identifier in double quotes, inner quotes doubled. */
  static String pgIdentifier(String name) {
    return '"' + checkText(name).replace("\"", "\"\"") + '"';
  }

  /**
   * A PostgreSQL string literal. With a backslash it becomes an {@code E'...'} literal, which reads
   * the same whatever {@code standard_conforming_strings} says.
   */
  static String pgLiteral(String value) {
    String v = checkText(value).replace("'", "''");
    return value.indexOf('\\') < 0 ? "'" + v + "'" : "E'" + v.replace("\\", "\\\\") + "'";
  }

  /** A MySQL/MariaDB identifier in backticks, inner backticks doubled. */
  static String mysqlIdentifier(String name) {
    return '`' + checkText(name).replace("`", "``") + '`';
  }

  /**
   * A MySQL/MariaDB string literal. Quotes are doubled and backslashes escaped; under {@code
   * NO_BACKSLASH_ESCAPES} a backslash would then read as two, which changes the value but cannot
   * end the literal.
   */
  static String mysqlLiteral(String value) {
    return "'" + checkText(value).replace("\\", "\\\\").replace("'", "''") + "'";
  }

  /**
   * A database name for {@code GRANT ... ON db.*}, where {@code _} and {@code %} are wildcards:
   * unescaped, app {@code a-b}'s grant on {@code a_b} would also open app {@code axb}'s database.
   */
  static String mysqlGrantDatabase(String name) {
    return mysqlIdentifier(
        checkText(name).replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%"));
  }

  private static String checkText(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw new IllegalArgumentException("control character in SQL text: " + s.strip());
      }
    }
    return s;
  }
}
