"""`eqplan serve`: the local web page (issue 16). Flask is imported only when it runs."""

from __future__ import annotations

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
def serve_command(host: str, port: int, max_upload_mb: float) -> None:
    """Start the local web page: officers upload a workbook in a browser and get the documents.

    Only this computer can reach it unless --host says otherwise; then put it
    behind the council's own sign-in (README, "The web page").

    \b
    Example:
      eqplan serve                      # then open http://127.0.0.1:8000/
      eqplan serve --port 8080 --max-upload-mb 40
    """
    from pipeline.web.server import serve

    serve(host, port, max_upload_mb)
