"""Reading plans: from files on disk to findings and the facts every command works from.

The stages, in order: discover the files (`paths`, `containment`), identify their bytes
(`fingerprint`), answer from the cache when nothing changed (`quick`, `cache`), parse (`fastyaml`,
`document`, `screen`), validate (`validation`, `mistakes`), locate findings (`linescan`, `locator`)
and summarise (`summary`), many plans at once (`parallel`); what the parent process keeps is built
with the garbage collector paused (`kept`). `loader` reads one plan or `kaplan.yaml`; `history` reads
plans as they were in git. Commands read a portfolio through `portfolio.read`.
"""
