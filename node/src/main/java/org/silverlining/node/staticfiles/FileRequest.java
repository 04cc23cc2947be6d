package org.silverlining.node.staticfiles;

import java.util.function.Function;

/**
 * What {@link StaticResolver} needs of a request.
 *
 * @param method the HTTP method; only {@code GET} and {@code HEAD} are answered from files
 * @param path the decoded path below the location's prefix, starting with {@code /}
 * @param host the host asked for, lower case, for the per-host folders of a writable root
 * @param header the first value of a request header by its name (any case), or {@code null}
 */
public record FileRequest(
    String method, String path, String host, Function<String, String> header) {}
