"""Renderers: the Word plan, the web page, the summary workbook, the checked copy, chart, PDFs.

Only this package writes documents (python-docx, docxtpl, XlsxWriter, Pillow);
every renderer copies the plan's view (pipeline/view.py) and never reads the
workbook itself,
except `annotate`, whose job is to mark up a copy of it.
"""
