"""What the fork server of :mod:`nlp.helpers` loads before it forks the helpers. Imported only
there (it is the server's one preload module), never in a caller's process: importing it
changes how its process collects garbage and exits.

It imports everything the jobs use with the garbage collector off (imports trigger hundreds of
collections that free nothing: 0.3 s), then freezes those objects out of the collector, so
the helpers forked from the server never scan them again. And it makes the server's own exit
immediate: the server writes nothing and owns nothing, yet tearing down its modules took
0.3–0.5 s after the command had finished, holding the command's output pipes open.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys


def _exit_now() -> None:
    """The last step of the server's exit: flush and leave, skipping module teardown."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    os._exit(0)


gc.disable()
try:
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.backends.backend_svg  # noqa: F401
    import pandas  # noqa: F401
    import wordcloud  # noqa: F401

    from . import jobs  # noqa: F401
    from .analysis import tfidf, topics  # noqa: F401
    from .viz import plots, wordcloud as _wordcloud  # noqa: F401
finally:
    gc.freeze()
    gc.enable()
atexit.register(_exit_now)  # registered last, so it runs first
