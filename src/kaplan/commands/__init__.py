"""The commands as library calls: `check`, `score`, `risk`, `new`, `init`, `review`, `importing`.

Each reads through `kaplan.reading`, computes with the domain core and returns data; printing is the
views' job and parsing options the CLI's.
"""
