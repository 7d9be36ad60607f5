"""Import and export of customers, in one package; its public face is below, the modules behind it are:

`import_file` (reading CSV and xlsx), `import_columns` (headers to fields), `import_rows` (a row through the form's
checks), `import_limits` (caps on files, cells and rows), `import_report` (FILE.fouten.csv), `importer` (preview and
the one-transaction import), `import_undo` (the list of imports, and undo), `exporter` with `export_target` (where
an export may write).
"""
from __future__ import annotations

from klantbeheer.data.transfer.exporter import export
from klantbeheer.data.transfer.import_undo import imports, undo
from klantbeheer.data.transfer.importer import preview, run_import

__all__ = ["export", "imports", "preview", "run_import", "undo"]
