package org.silverlining.node.logs;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the node's log to {@code logs/node.log} as well as the console, rotated under {@link
 * LogLimits} into {@code node.log.1} ... {@code node.log.KEEP} as the other logs are.
 */
public final class NodeLogging {
  private NodeLogging() {}

  public static void toFile(Path file, LogLimits limits) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%d{ISO8601} %-5level %logger{0} - %msg%n");
    encoder.start();
    RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
    appender.setContext(ctx);
    appender.setName("node.log");
    appender.setFile(file.toString());
    appender.setEncoder(encoder);
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(ctx);
    rolling.setParent(appender);
    rolling.setFileNamePattern(file + ".%i");
    rolling.setMinIndex(1);
    rolling.setMaxIndex(limits.keep());
    rolling.start();
    SizeBasedTriggeringPolicy<ILoggingEvent> size = new SizeBasedTriggeringPolicy<>();
    size.setContext(ctx);
    size.setMaxFileSize(new FileSize(limits.maxBytes()));
    // The node logs a few lines a minute, not one per request: the size is looked at each time
    // rather than once a minute (logback's default), so the bound holds after a burst.
    size.setCheckIncrement(Duration.buildByMilliseconds(0));
    size.start();
    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(size);
    appender.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    Object old = root.getAppender("node.log");
    root.detachAppender("node.log");
    if (old instanceof ch.qos.logback.core.Appender<?> a) {
      a.stop();
    }
    root.addAppender(appender);
  }
}
