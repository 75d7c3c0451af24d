"""Each link annotation is claimed by one Link element (render/pdf_links.py, PDF/UA-1 7.18.1).

LibreOffice 7.4 tags each entry of the contents list as two Link elements, the
heading and its page number, each with an object reference to the same link
annotation. finish_tagging merges the pair into the first Link and points the
parent tree at it, in an update appended to the file. These tests build small
tagged PDFs of that shape with pikepdf, and variations of it that must be left
exactly as they were; the built plans are checked in test_pdf_accessible.py.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from pipeline.render.pdf_tags import finish_tagging


def _tagged(path: Path, variation: str = "") -> Path:
    """A two-page tagged PDF whose contents entry is LibreOffice's pair of Links.

    Each page has marked content 0 and 1. The first Link holds page 1's 0; the
    second holds page 1's 1 (page 2's 0 for "second page"); a P holds the rest.
    """
    pdf = pikepdf.new()
    for _ in range(2):
        pdf.add_blank_page()
    pages = [page.obj for page in pdf.pages]
    for number, page in enumerate(pages):
        page.Contents = pdf.make_stream(b"/P <</MCID 0>> BDC EMC /P <</MCID 1>> BDC EMC")
        page.StructParents = number
        page.Tabs = Name.S
    annotation = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 9, 9], StructParent=2)
    )
    pages[0].Annots = Array([annotation])
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    entry = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.P, P=root))
    body = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.P, P=root))
    links = []
    second_at = (1, 0) if variation == "second page" else (0, 1)
    for page, mcid in [(0, 0), second_at]:
        objr = pdf.make_indirect(Dictionary(Type=Name.OBJR, Obj=annotation))
        links.append(
            pdf.make_indirect(
                Dictionary(
                    Type=Name.StructElem, S=Name.Link, P=entry, Pg=pages[page], K=[mcid, objr]
                )
            )
        )
    first, second = links
    owners = {(0, 0): first, second_at: second}
    rest = [(page, mcid) for page in (0, 1) for mcid in (0, 1) if (page, mcid) not in owners]
    body.K = Array([Dictionary(Type=Name.MCR, Pg=pages[p], MCID=m) for p, m in rest])
    owners.update(dict.fromkeys(rest, body))
    entry.K = Array([first, body, second] if variation == "between" else [first, second])
    if variation == "between":
        body.P = entry
    if variation == "alt text":
        second.Alt = "Page 2"
    if variation == "parent tree":
        owners[second_at] = body
    if variation == "three links":
        entry.K.append(pdf.make_indirect(pikepdf.Dictionary(second)))
    parent_tree = [0, [owners[0, 0], owners[0, 1]], 1, [owners[1, 0], owners[1, 1]], 2, second]
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(parent_tree)))
    root.K = Array([entry] if variation == "between" else [entry, body])
    pdf.Root.StructTreeRoot = root
    pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return path


def _parent_tree(pdf) -> dict:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def test_the_two_links_of_a_contents_entry_become_one(tmp_path):
    path = _tagged(tmp_path / "pair.pdf")
    before = path.read_bytes()
    finish_tagging(path)
    assert path.read_bytes().startswith(before)  # appended, never rewritten
    with pikepdf.open(path) as pdf:
        entry = pdf.Root.StructTreeRoot.K[0]
        assert len(entry.K) == 1
        link = entry.K[0]
        assert link.S == "/Link"
        kids = list(link.K)
        assert kids[0] == 0 and kids[1].Type == "/OBJR" and kids[2] == 1
        assert len(kids) == 3
        parents = _parent_tree(pdf)
        assert [e.objgen for e in parents[0]] == [link.objgen, link.objgen]
        assert parents[2].objgen == link.objgen  # the annotation's StructParent
        assert not pdf.check_pdf_syntax()


def test_a_page_number_on_another_page_is_moved_with_its_page(tmp_path):
    path = _tagged(tmp_path / "pages.pdf", "second page")
    finish_tagging(path)
    with pikepdf.open(path) as pdf:
        entry = pdf.Root.StructTreeRoot.K[0]
        link = entry.K[0]
        assert len(entry.K) == 1 and len(link.K) == 3
        moved = link.K[2]
        assert moved.Type == "/MCR" and moved.MCID == 0
        assert moved.Pg.objgen == pdf.pages[1].obj.objgen
        parents = _parent_tree(pdf)
        assert parents[1][0].objgen == link.objgen
        assert parents[0][0].objgen == link.objgen
        assert parents[2].objgen == link.objgen


@pytest.mark.parametrize("variation", ["between", "alt text", "parent tree", "three links"])
def test_anything_unusual_is_left_as_it_was(tmp_path, variation):
    """Content between the two, an attribute the merge would lose, a parent tree that
    disagrees with the tags or a third Link: the file stays as LibreOffice wrote it."""
    path = _tagged(tmp_path / "unusual.pdf", variation)
    before = path.read_bytes()
    finish_tagging(path)
    assert path.read_bytes() == before
