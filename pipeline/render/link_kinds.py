"""What cleaning (cleaning.py) removes of a package's relationships, in the words its warnings
use: every link outside the package but a plain web address's hyperlink, and inside it what
Word pulls into the text or runs (an altChunk, an embedded object, an ActiveX control)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

HYPERLINK = "/hyperlink"
CHUNK = "/aFChunk"
_PLAIN_URL = re.compile(r"https?://[^\s\\<>\"'`^{|}]+", re.IGNORECASE)
_KINDS = {
    "attachedTemplate": "an attached template",
    "image": "a linked picture",
    "oleObject": "a linked object",
    "frame": "a frame",
    "subDocument": "a linked sub-document",
    "mailMergeSource": "a mail-merge source",
    "recipientData": "mail-merge recipients",
    "hyperlink": "a hyperlink",
    "aFChunk": "an embedded chunk",
    "package": "a linked package",
}
#: Relationships to parts inside the package that are removed all the same: they run (an
#: embedded Office document, `package`, is kept: a chart's data is one, and it runs nothing).
_EMBEDDED = {
    "oleObject": "an embedded object",
    "control": "an ActiveX control",
    "activeXControlBinary": "an ActiveX control",
}


def is_plain_web_address(target: str) -> bool:
    """http:// or https:// with a host, no user name or password, no spaces or backslashes."""
    if not _PLAIN_URL.fullmatch(target):
        return False
    parts = urlsplit(target)
    return bool(parts.hostname) and "@" not in parts.netloc


def removed_kind(rel_type: str, target: str, external: bool) -> str | None:
    """What a relationship is called in warnings if cleaning removes it, else None.

    Removed: every external one but a plain web address's hyperlink, every altChunk, every
    embedded object and every ActiveX control.
    """
    kind = rel_type.rsplit("/", 1)[-1]
    if external and not (rel_type.endswith(HYPERLINK) and is_plain_web_address(target)):
        return _KINDS.get(kind, kind or "a link")
    if rel_type.endswith(CHUNK):
        return _KINDS["aFChunk"]
    return _EMBEDDED.get(kind)
