"""Allow `python -m pipeline` as well as the `eqplan` command."""

from pipeline.cli import main

main()
