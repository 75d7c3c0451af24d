"""Upload names and stored downloads cannot reach outside their folder (issue 16)."""

from __future__ import annotations

import pytest

from pipeline.web.downloads import DownloadStore
from pipeline.web.work import upload_name


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("our-plan.xlsx", "our-plan.xlsx"),
        ("../../etc/passwd.xlsx", "passwd.xlsx"),
        ("C:\\Users\\officer\\Plan 2026.xlsx", "Plan-2026.xlsx"),
        ("..", "action-plan"),
        ("", "action-plan"),
        (None, "action-plan"),
        ("con.xlsx", "action-plan.xlsx"),
        ("plan.xlsx\x00.sh", "plan.xlsx.sh"),
        ("plan.<b>", "plan.-b"),
    ],
)
def test_upload_names_keep_only_a_safe_last_part(given, expected):
    assert upload_name(given) == expected


def test_store_keeps_files_under_a_token_and_finds_only_those(tmp_path):
    store = DownloadStore(tmp_path / "root", expiry_seconds=60)
    (tmp_path / "outside.txt").write_text("secret")
    stored = store.keep({"plan.docx": b"doc", "../outside.txt": b"x", "a/b.csv": b"y"})
    assert stored.names == ["plan.docx", "outside.txt", "a-b.csv"]
    folder = store.root / stored.token
    assert sorted(p.name for p in folder.iterdir()) == sorted(stored.names)
    assert store.find(stored.token, "plan.docx").read_bytes() == b"doc"
    assert (tmp_path / "outside.txt").read_text() == "secret"  # not overwritten
    for name in ("../outside.txt", "..", ".", "", "/etc/passwd", "plan.docx/"):
        assert store.find(stored.token, name) is None, name
    for token in ("..", "../root", stored.token[:-1], stored.token + "/x", "x" * 43):
        assert store.find(token, "plan.docx") is None, token
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
