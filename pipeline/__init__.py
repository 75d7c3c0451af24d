"""eqplan: a council's equality action plan, from Excel workbook to Word.

Data flows one way: framework file and workbook -> model -> validation -> renderers.
"""

__version__ = "0.1.0"
