"""The `kaplan` command line: option parsing (`app`), shell completion and the progress bar."""

import gc as _gc

# A command builds many small objects and keeps most of them to the end: the collector's default pace
# scans them again and again (~15 % of a cold check of 10,000 plans; 10 ms of importing the command
# line alone), so it collects rarely, from before the command line's modules are imported. (At the
# end, `app._leave` leaves the process without collecting or freeing anything.)
_gc.set_threshold(100_000, 50, 1000)
