"""``make run``'s process runner: web, worker and beat from the Procfile (honcho), stopped
cleanly by Ctrl-C.

honcho already starts each process in its own session and sends SIGTERM to all of them when
it gets Ctrl-C, but then exits with 130, which make reports as an error. Here Ctrl-C (or
SIGTERM) is a normal way to stop: the exit status is 0 when every process stopped because it
was asked to (exit 0, or ended by SIGTERM), and the first real failure's status otherwise.
"""

import os
import signal
import sys
from pathlib import Path

from honcho.environ import parse_procfile
from honcho.manager import Manager
from honcho.printer import Printer

STOPPED_ON_REQUEST = {0, -signal.SIGTERM, 128 + signal.SIGTERM}


def main() -> int:
    procfile = parse_procfile(Path("Procfile").read_text())
    manager = Manager(Printer(sys.stdout))
    for name, command in procfile.processes.items():
        manager.add_process(name, command, env=dict(os.environ))
    manager.loop()
    asked_to_stop = manager.returncode in (128 + signal.SIGINT, 128 + signal.SIGTERM)
    codes = [process.get("returncode") for process in manager._processes.values()]
    if asked_to_stop and all(code in STOPPED_ON_REQUEST for code in codes):
        print("Stopped web, worker and beat.")
        return 0
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
