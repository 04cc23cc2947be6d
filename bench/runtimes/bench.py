"""Start-up time and memory of one serving process per runtime, as the node starts them.

Usage (from the project's root, after mvn package):
  /usr/bin/python3 bench/runtimes/bench.py node/src/main/resources/org/silverlining/node/runtime \
      "$(readlink -f "$(which java)")" examples/hello-java/target/hello.jar
Start-up: from spawning the process until its port accepts a connection (php-fpm, gunicorn) or
answers /ping (the Java hello app). Memory: the RSS of the process and its children 0.3 s later.
Five runs each; prints the range and the median.
"""
import os, socket, subprocess, sys, time
def port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
def rss_tree(pid):
    total = 0
    pids = [pid]
    out = subprocess.run(["ps", "-o", "pid=,ppid=,rss=", "-e"], capture_output=True, text=True).stdout.split("\n")
    rows = [l.split() for l in out if l.strip()]
    kids = {}
    for p, pp, r in rows: kids.setdefault(int(pp), []).append((int(p), int(r)))
    rss = {int(p): int(r) for p, pp, r in rows}
    stack = [pid]; seen = []
    while stack:
        p = stack.pop(); seen.append(p); total += rss.get(p, 0)
        stack += [k for k, _ in kids.get(p, [])]
    return total, len(seen)
def ready(p, path):
    try:
        s = socket.create_connection(("127.0.0.1", p), 0.2)
        if path is None: s.close(); return True
        s.sendall(b"GET " + path.encode() + b" HTTP/1.0\r\nHost: x\r\n\r\n"); d = s.recv(100); s.close(); return b" 200 " in d
    except OSError: return False
def run(name, make, cwd, path, envf=lambda p: None):
    times, mems = [], []
    for i in range(5):
        p = port(); cmd = make(p)
        t0 = time.monotonic(); proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=envf(p))
        while not ready(p, path): time.sleep(0.005)
        times.append(time.monotonic() - t0); time.sleep(0.3); m, n = rss_tree(proc.pid); mems.append((m, n))
        proc.terminate(); proc.wait()
    times.sort()
    print("%-8s start %.0f-%.0f ms (median %.0f), RSS %d KiB in %d processes" % (name, times[0]*1000, times[-1]*1000, times[2]*1000, sorted(m for m, _ in mems)[2], mems[0][1]))
here = os.path.dirname(os.path.abspath(__file__))
sup = os.path.abspath(sys.argv[1])
run("python", lambda p: ["/usr/bin/python3", "-m", "gunicorn", "--bind", "127.0.0.1:%d" % p, "--workers", "1", "--pythonpath", sup + "/python", "silverlining_wsgi:application"], here + "/py", "/", lambda p: dict(os.environ, SILVER_RUNNER="main.py"))
def fpm(p):
    conf = os.path.join(os.environ.get("TMPDIR", "/tmp"), "bench-fpm-%d.conf" % p)
    open(conf, "w").write("[global]\ndaemonize = no\nerror_log = /proc/self/fd/2\n[app]\nlisten = 127.0.0.1:%d\npm = static\npm.max_children = 1\nclear_env = no\n" % p)
    return ["/usr/sbin/php-fpm8.2", "--nodaemonize", "--fpm-config", conf, "-R"]
run("php", fpm, here + "/php", None)
run("java", lambda p: [sys.argv[2], "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", os.path.abspath(sys.argv[3])], here, "/ping", lambda p: dict(os.environ, PORT=str(p)))
