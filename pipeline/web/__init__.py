"""The local web page (`eqplan serve`): officers drop a workbook in a browser and get documents.

Only the serve command imports this package, so `import pipeline` and every
other command stay free of Flask. The pages call the same library functions
as the command line (validate_workbook, build_documents, write_annotated,
write_template) with the uploaded bytes.
"""

from pipeline.web.app import create_app

__all__ = ["create_app"]
