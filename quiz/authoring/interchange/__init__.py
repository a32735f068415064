"""Files from and to other tools: GIFT, Moodle XML and spreadsheet imports, QTI export.

Plain functions, no Flask. Each importer returns an `ImportResult` (a draft set in
the set-file format and a report of what each source question became) or raises
`UnreadableFile` with a message a teacher can act on. See draft.py for how
questions are mapped, report.py for the report's sentences, and qti.py for the
export.
"""

from __future__ import annotations

from .gift import import_gift
from .moodle_xml import import_moodle_xml
from .qti import QtiError, to_qti
from .report import ImportResult, ReportLine, UnreadableFile
from .spreadsheet import import_spreadsheet

__all__ = [
    "ImportResult",
    "QtiError",
    "ReportLine",
    "UnreadableFile",
    "import_gift",
    "import_moodle_xml",
    "import_spreadsheet",
    "to_qti",
]
