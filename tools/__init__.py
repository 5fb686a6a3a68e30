"""One-off builds of the committed data files (run from the repository root; not part of the installed package)."""
