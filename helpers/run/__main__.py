"""``python -m helpers.run``: the study runner (:mod:`helpers.run.runner`)."""

import signal
import sys

STOP = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _while_starting(signum, frame):
    # Ctrl-C, SIGTERM or SIGHUP while the runner is still importing: nothing has started yet;
    # one line, no traceback (the runner installs its own handlers once it runs)
    print("Interrupted while starting: no notebook was run.", file=sys.stderr, flush=True)
    raise SystemExit(128 + signum)


for _signum in STOP:
    signal.signal(_signum, _while_starting)

from helpers.run.runner import main  # noqa: E402  (after the handlers, on purpose)

status = main()
for _signum in STOP:  # finished: a late signal changes nothing any more
    signal.signal(_signum, signal.SIG_IGN)
raise SystemExit(status)
