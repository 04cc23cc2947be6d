"""silver shell on a terminal: runs a command on a new pseudo-terminal and relays bytes.

Usage: silverlining_pty.py ROWS COLS -- COMMAND [ARGS...]
Standard input goes to the terminal as typed (Ctrl-C reaches the command as SIGINT through the
terminal's line discipline, Ctrl-D as end of input); what the command writes comes back on standard
output. Exits with the command's exit code.
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios

rows, cols = int(sys.argv[1]), int(sys.argv[2])
command = sys.argv[4:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
stdin_open = True
while True:
    readable = [fd] + ([0] if stdin_open else [])
    ready, _, _ = select.select(readable, [], [])
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            break
        os.write(1, data)
    if 0 in ready:
        data = os.read(0, 65536)
        if data:
            os.write(fd, data)
        else:
            stdin_open = False
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
