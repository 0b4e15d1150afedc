"""Keep Python's cyclic garbage collector off the window's long-lived objects.

Opening a large article makes tens of thousands of small objects (spans, keys,
rows), which set off the collector's young generations every 700 allocations and a
full collection every few opens. A full collection walks every object the process
holds -- modules, Qt wrappers, SQLAlchemy's tables, some 140,000 once the window is
up -- and took about 150 ms, so every few opens one took three times as long as
the rest (bench/bench_window.py: the mean open was 89 ms for a median of 50 ms).

After start-up the objects that exist live as long as the window, so they are moved
out of the collector's sight (``gc.freeze``: constant time, nothing is collected or
copied), and the youngest generation is allowed to grow larger before a collection.
Garbage made later is collected as before. The price: an object alive at the freeze
that later dies inside a reference cycle is never collected -- at most what the
first article opened at start-up held, once per process (reference counting still
frees everything that is not in a cycle).
"""

from __future__ import annotations

import gc

# Allocations (net, of objects the collector tracks) before a young collection: an
# article's open makes ~12,000, so the default 700 meant ~17 collections per open.
YOUNG_THRESHOLD = 10_000


def settle_after_start() -> None:
    """Call once the main window is built (run_gui): what exists now is long-lived."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    gc.freeze()
