"""Upload names and stored downloads cannot reach outside their folder (issue 16)."""

from __future__ import annotations

import pytest

from pipeline.web.downloads import DownloadStore, stored_name
from pipeline.web.work import UPLOAD_STEM, upload_name
from tests.web.conftest import downloads_in, upload


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


def test_a_long_upload_name_keeps_every_documents_own_name_and_ending(client):
    """An attacker's review: an upload named with 80 letters gave seven links to one file,
    each document stored over the last, and names of 65 to 70 letters lost their endings."""
    for stem in ("a" * 80, "b" * 67):
        response = upload(client, name=f"{stem}.xlsx")
        assert response.status_code == 200
        links = downloads_in(response.get_data(as_text=True))
        short = stem[:UPLOAD_STEM]
        assert sorted(links) == sorted(
            f"{short}{ending}"
            for ending in (
                ".docx", "-summary.xlsx", "-actions.csv", ".html", "-cover-report.docx",
                ".zip", "-checked.xlsx",
            )
        )  # fmt: skip
        bodies = {client.get(link).get_data() for link in links.values()}
        assert len(bodies) == len(links)  # seven documents, not one seven times


def test_a_stored_name_keeps_its_ending_and_never_takes_another_documents():
    taken: list[str] = []
    for name in ("x" * 90 + ".docx", "x" * 90 + "-summary.xlsx", "x" * 90 + "-checked.xlsx"):
        taken.append(stored_name(name, taken))
    assert [len(n) for n in taken] == [80, 80, 80]
    assert [n.rsplit(".", 1)[1] for n in taken] == ["docx", "xlsx", "xlsx"]
    assert len({n.casefold() for n in taken}) == 3
    assert stored_name("PLAN.docx", ["plan.docx"]) == "PLAN-2.docx"
