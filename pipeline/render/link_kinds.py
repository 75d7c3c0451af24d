"""What cleaning (cleaning.py) removes of a package's relationships, in the words its warnings
use: every link outside the package but a plain web address's hyperlink, and inside it what
Word pulls into the text or runs (an altChunk, an embedded object, an ActiveX control)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_PLAIN_URL = re.compile(r"https?://[^\s\\<>\"'`^{|}]+", re.IGNORECASE)
_KINDS = {
    "attachedtemplate": "an attached template",
    "image": "a linked picture",
    "oleobject": "a linked object",
    "frame": "a frame",
    "subdocument": "a linked sub-document",
    "mailmergesource": "a mail-merge source",
    "recipientdata": "mail-merge recipients",
    "hyperlink": "a hyperlink",
    "afchunk": "an embedded chunk",
    "package": "a linked package",
}
#: Relationships to parts inside the package that are removed all the same, by their type's
#: last word in lower case: they run (an OLE object, an ActiveX control) or may (`package`:
#: an embedded Office document, a macro-enabled one included).
_EMBEDDED = {
    "oleobject": "an embedded object",
    "package": "an embedded package",
    "control": "an ActiveX control",
    "activexcontrolbinary": "an ActiveX control",
}


def is_plain_web_address(target: str) -> bool:
    """http:// or https:// with a host, no user name or password, no spaces or backslashes."""
    if not _PLAIN_URL.fullmatch(target):
        return False
    parts = urlsplit(target)
    return bool(parts.hostname) and "@" not in parts.netloc


def removed_kind(rel_type: str, target: str, external: bool, source: str = "") -> str | None:
    """What a relationship is called in warnings if cleaning removes it, else None.

    Removed: every external one but a plain web address's hyperlink, every altChunk, every
    embedded object or package and every ActiveX control, whatever the case or trailing
    marks of its type (a review found `.../package`, `.../OLEObject` and `.../Control`
    passing). A chart's own embedded workbook (source: a part under word/charts/) is kept:
    it holds the chart's data and runs nothing.
    """
    kind = _last_word(rel_type)
    if external and not (kind == "hyperlink" and is_plain_web_address(target)):
        return _KINDS.get(kind, kind or "a link")
    if kind == "afchunk":
        return _KINDS["afchunk"]
    if kind == "package" and "/charts/" in f"/{source}":
        return None
    return _EMBEDDED.get(kind)


def _last_word(rel_type: str) -> str:
    """A relationship type's last word, as compared: lower case, no spaces, query or slash."""
    return rel_type.strip().split("?")[0].rstrip("/ ").rsplit("/", 1)[-1].strip().lower()
