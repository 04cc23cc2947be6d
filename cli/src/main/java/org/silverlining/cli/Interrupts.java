package org.silverlining.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Makes Ctrl-C (SIGINT) stop a long-running command even when it was started in the background by a
 * script: a shell starts such jobs with SIGINT ignored, and the JVM then leaves it ignored.
 * Installing a handler explicitly undoes that; the handler exits, which runs the shutdown hooks
 * that stop the node and its apps. Reflection keeps the build free of internal-API warnings.
 */
final class Interrupts {
  private Interrupts() {}

  static void exitOnInterrupt() {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object onInt =
          Proxy.newProxyInstance(
              handler.getClassLoader(),
              new Class<?>[] {handler},
              (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                  new Thread(() -> System.exit(130), "interrupt").start();
                }
                return null;
              });
      Method handle = signal.getMethod("handle", signal, handler);
      handle.invoke(null, signal.getConstructor(String.class).newInstance("INT"), onInt);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Not a HotSpot-like JVM: Ctrl-C keeps the JVM's own behaviour.
    }
  }
}
