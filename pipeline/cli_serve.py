"""`eqplan serve`: the local web page (issue 16). Flask is imported only when it runs."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--max-upload-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=20.0,
    show_default=True,
    help="Largest workbook the page accepts, in MB.",
)
@click.option(
    "--framework",
    "framework_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="PATH",
    help="A council's own framework .yaml file: workbooks that name its id are read with it "
    "(repeat for several).",
)
def serve_command(
    host: str, port: int, max_upload_mb: float, framework_files: tuple[Path, ...]
) -> None:
    """Start the local web page: officers upload a workbook in a browser and get the documents.

    Only this computer can reach it unless --host says otherwise; then put it
    behind the council's own sign-in (README, "The web page").

    \b
    Example:
      eqplan serve                      # then open http://127.0.0.1:8000/
      eqplan serve --port 8080 --max-upload-mb 40
      eqplan serve --framework inputs/our-objectives.yaml
    """
    from pipeline import frameworks
    from pipeline.web.server import serve

    for path in framework_files:  # checked before the page starts, as for any command
        frameworks.offer(frameworks.load_file(path))

    serve(host, port, max_upload_mb)
