"""Writing files people own: atomically (`files`), several as one change (`batch`), and plans edited
without losing a comment or reordering a key (`roundtrip`, `textedit`)."""
