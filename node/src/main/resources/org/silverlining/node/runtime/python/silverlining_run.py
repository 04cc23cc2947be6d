"""silver run of a Python script: the app's sys.path, the script as __main__ with its arguments."""
import os
import runpy
import sys

import silverlining_boot

if len(sys.argv) < 2:
    sys.exit("usage: silverlining_run.py SCRIPT [ARGS...]")
silverlining_boot.setup_path(os.getcwd())
script = sys.argv[1]
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
runpy.run_path(script, run_name="__main__")
