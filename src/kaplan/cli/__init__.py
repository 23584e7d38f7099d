"""The `kaplan` command line: option parsing (`app`), shell completion and the progress bar."""
