"""Allow `python -m pipeline` as well as the `eqplan` command."""

from pipeline.launch import main

main()
