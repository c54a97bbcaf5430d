import signal
import sys


def _early_stop(signum, frame):
    # Ctrl-C, SIGTERM or SIGHUP while the readers are still being imported: nothing has been
    # read or written yet; one line, no traceback
    print("python -m helpers.sources: interrupted while starting; nothing was written.",
          file=sys.stderr, flush=True)
    raise SystemExit(128 + signum)


for _signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(_signum, _early_stop)

from helpers.sources.cli import main  # noqa: E402  (after the handlers, on purpose)

raise SystemExit(main())
