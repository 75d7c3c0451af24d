"""The time limits a command may be given, in a module that imports nothing.

The renderers that enforce them (sandbox.py, pdf.py) and the command line that
shows them as option defaults share these; the command line imports only this,
so `eqplan validate` never loads Jinja or the PDF code.
"""

from __future__ import annotations

#: Seconds a template may take to render unless the caller says otherwise (--template-timeout).
TEMPLATE_SECONDS = 120.0
#: Seconds LibreOffice may take to make a PDF unless the caller says otherwise (--pdf-timeout).
PDF_SECONDS = 300.0
