"""The `eqplan` command's entry point, and `python -m pipeline`'s: small, so that a build's
warm child is forked before click and the rest of eqplan are imported.

The warm child (word_job.py) imports the Word libraries while the build reads the
workbook. Forked here, as the process starts, it starts about 0.1 s sooner than from the
command group (cli.py), which must first import click and the options' modules; at 100
actions the build then waits for it about 0.04 s less (issue 17). The command is told
apart by its first argument, as click will read it: `build` takes no group option before
it. Asking for a build's help, which renders nothing, forks none. Anything else runs as
before; the command group still forks a child for a build run another way (a script
calling cli.main, or the click command cli.cli).
"""

from __future__ import annotations

import sys
from contextlib import nullcontext


def main() -> None:
    """Run the command line; for `eqplan build`, with a warm child forked first.

    Ctrl+C ends the command as click ends it ("Aborted!", exit 1), even while eqplan is
    still being imported and click cannot yet: never with a traceback.
    """
    try:
        _run()
    except KeyboardInterrupt:
        print("\nAborted!", file=sys.stderr)
        sys.exit(1)


def _run() -> None:
    if _builds(sys.argv[1:]):
        # Both processes need the plan's model and view: imported once, before the fork.
        import pipeline.view  # noqa: F401
        from pipeline.render.word_job import warm_word_child

        starting = warm_word_child()
    else:
        starting = nullcontext()
    with starting as warm:
        from pipeline.cli import main as run

        run(warm=warm, launched=True)


def _builds(arguments: list[str]) -> bool:
    """Whether the command line will build a plan: `build`, not asking for its help."""
    return arguments[:1] == ["build"] and "--help" not in arguments[1:]


if __name__ == "__main__":  # `python -m pipeline.launch`, as `python -m pipeline`
    main()
