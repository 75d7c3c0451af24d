"""One structure element for each link of LibreOffice 7.4's tagged PDF (PDF/UA-1, 7.18.1).

LibreOffice tags each entry of the contents list as two Link elements side
by side, one for the heading's text and one for its page number, and gives
each an object reference (/OBJR) to the same link annotation. PDF/UA wants
each annotation claimed by exactly one structure element, and a screen
reader may announce the entry twice. merge_doubled_links keeps the first
Link, moves the second's marked content into it, drops the second from its
parent and points the parent tree (ISO 32000-1, 14.7.4.4) at the first.
Only that exact shape is mended; anything unusual is left as it was.
"""

from __future__ import annotations

from typing import Any

#: Keys a second Link may have for its merge to lose nothing (ISO 32000-1, table 323).
PLAIN_KEYS = frozenset({"/Type", "/S", "/P", "/Pg", "/K"})


def merge_doubled_links(reader: Any) -> dict[int, Any]:
    """Merge each pair of Link elements that claim the same annotation; {number: changed object}.

    reader is a pypdf PdfReader; its objects are changed in place, and the
    ones returned are those to write in an incremental update.
    """
    from pypdf.generic import ArrayObject, IndirectObject

    tree = _get(reader.trailer["/Root"], "/StructTreeRoot")
    if tree is None or not isinstance(tree.raw_get("/ParentTree"), IndirectObject):
        return {}
    entries = _number_tree(tree.raw_get("/ParentTree"))
    changed: dict[int, Any] = {}
    for page in reader.pages:
        annotations = _get(page, "/Annots")
        if not isinstance(annotations, ArrayObject):
            continue
        for annotation in annotations:
            if not isinstance(annotation, IndirectObject):
                continue
            target = annotation.get_object()
            key = target.get("/StructParent")
            if target.get("/Subtype") == "/Link" and isinstance(key, int) and key in entries:
                changed.update(_merge(annotation, entries, key))
    return changed


def _number_tree(reference: Any, depth: int = 0) -> dict[int, tuple[int, Any, Any, int]]:
    """{key: (number of the object holding the value, that object, the array, index of value)}.

    Only nodes and value arrays that are objects of their own (generation 0)
    are taken, so that a change can be written by appending that object.
    """
    from pypdf.generic import ArrayObject, IndirectObject

    found: dict[int, tuple[int, Any, Any, int]] = {}
    node = reference.get_object()
    if depth > 20 or reference.generation != 0 or not hasattr(node, "raw_get"):
        return found
    kids = _get(node, "/Kids")
    for kid in kids if isinstance(kids, ArrayObject) else []:
        if isinstance(kid, IndirectObject):
            found.update(_number_tree(kid, depth + 1))
    nums = node.raw_get("/Nums")
    if isinstance(nums, ArrayObject):
        for index in range(0, len(nums) - 1, 2):
            if isinstance(nums[index], int):
                found[int(nums[index])] = (reference.idnum, node, nums, index + 1)
    return found


def _get(dictionary: Any, key: str) -> Any:
    """dictionary[key] with a reference followed, or None (pypdf's get does not follow it)."""
    value = dictionary.get(key)
    return None if value is None else value.get_object()


def _same(one: Any, other: Any) -> bool:
    """Whether two indirect references name the same object."""
    from pypdf.generic import IndirectObject

    return (
        isinstance(one, IndirectObject)
        and isinstance(other, IndirectObject)
        and (one.idnum, one.generation) == (other.idnum, other.generation)
    )


def _kids(element: Any) -> list:
    """The kids of a structure element as written: numbers, dictionaries, references."""
    from pypdf.generic import ArrayObject

    kids = element.raw_get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, ArrayObject) else [kids]


def _claims(element: Any, annotation: Any) -> bool:
    """Whether element is a Link with an object reference to annotation."""
    if not hasattr(element, "raw_get") or element.get("/S") != "/Link":
        return False
    return any(
        hasattr(obj, "raw_get")
        and obj.get("/Type") == "/OBJR"
        and _same(obj.raw_get("/Obj"), annotation)
        for obj in (kid.get_object() for kid in _kids(element))
    )


def _merge(annotation: Any, entries: dict, key: int) -> dict[int, Any]:
    """Merge the two Links that claim annotation, if they are exactly LibreOffice's pair."""
    from pypdf.generic import ArrayObject, IndirectObject

    _number, _holder, array, index = entries[key]
    claimant = array[index]
    if not isinstance(claimant, IndirectObject) or claimant.generation != 0:
        return {}
    parent_reference = claimant.get_object().raw_get("/P")
    if not isinstance(parent_reference, IndirectObject) or parent_reference.generation != 0:
        return {}
    parent = parent_reference.get_object()
    siblings = parent.raw_get("/K")
    if not isinstance(siblings, ArrayObject):
        return {}
    pair = [
        i
        for i, kid in enumerate(siblings)
        if isinstance(kid, IndirectObject) and _claims(kid.get_object(), annotation)
    ]
    if len(pair) != 2 or pair[1] != pair[0] + 1:
        return {}
    first_reference, second_reference = siblings[pair[0]], siblings[pair[1]]
    if not (_same(claimant, first_reference) or _same(claimant, second_reference)):
        return {}
    first, second = first_reference.get_object(), second_reference.get_object()
    if first_reference.generation != 0:
        return {}
    kept = first.raw_get("/K")
    if isinstance(kept, IndirectObject) and isinstance(kept.get_object(), ArrayObject):
        return {}  # kids in an array of its own: not what LibreOffice writes
    if set(second.keys()) - PLAIN_KEYS or not _same(second.raw_get("/P"), parent_reference):
        return {}
    moved = _moved_content(first, second, annotation)
    if moved is None:
        return {}
    changes = _parent_tree_changes(moved, entries, key, second_reference)
    if changes is None:
        return {}
    changed = {first_reference.idnum: first, parent_reference.idnum: parent}
    first[_name("/K")] = ArrayObject([*_kids(first), *(kid for kid, _page, _mcid in moved)])
    del siblings[pair[1]]
    for owner, obj, values, position in changes:
        values[position] = first_reference
        changed[owner] = obj
    return changed


def _moved_content(first: Any, second: Any, annotation: Any) -> list[tuple] | None:
    """[(kid for the first Link, page reference, MCID)] for second's marked content, or None.

    None when second holds anything but marked-content references on pages
    and its one object reference to annotation.
    """
    from pypdf.generic import DictionaryObject, IndirectObject, NumberObject

    page = second.raw_get("/Pg")
    moved: list[tuple] = []  # (kid, its page, its MCID, whether the kid names its page)
    references = 0
    for kid in _kids(second):
        obj = kid.get_object()
        if isinstance(obj, int) and not isinstance(kid, IndirectObject):
            if not isinstance(page, IndirectObject):
                return None
            moved.append((kid, page, int(obj), False))
        elif hasattr(obj, "raw_get") and obj.get("/Type") == "/OBJR":
            if not _same(obj.raw_get("/Obj"), annotation):
                return None
            references += 1
        elif hasattr(obj, "raw_get") and obj.get("/Type") == "/MCR" and "/Stm" not in obj:
            on = obj.raw_get("/Pg") or page
            if not isinstance(on, IndirectObject) or not isinstance(obj.get("/MCID"), int):
                return None
            moved.append((kid, on, int(obj["/MCID"]), "/Pg" in obj))
        else:
            return None
    if references != 1:
        return None
    result = []
    for kid, on, mcid, named in moved:
        if named or _same(on, first.raw_get("/Pg")):
            result.append((kid, on, mcid))
        else:  # the first Link's page is not this content's: say which page it is on
            reference = DictionaryObject()
            reference[_name("/Type")] = _name("/MCR")
            reference[_name("/Pg")] = on
            reference[_name("/MCID")] = NumberObject(mcid)
            result.append((reference, on, mcid))
    return result


def _parent_tree_changes(
    moved: list[tuple], entries: dict, key: int, second: Any
) -> list[tuple[int, Any, Any, int]] | None:
    """[(object number, object, array, index)] of parent-tree values naming second, or None.

    Each moved MCID's value must name second; otherwise None.
    """
    from pypdf.generic import ArrayObject, IndirectObject

    number, holder, array, index = entries[key]  # the annotation's: it names first or second
    changes = [(number, holder, array, index)] if _same(array[index], second) else []
    for _kid, page, mcid in moved:
        parents = _get(page.get_object(), "/StructParents")
        if not isinstance(parents, int) or int(parents) not in entries:
            return None
        number, holder, array, index = entries[int(parents)]
        values = array[index]
        if isinstance(values, IndirectObject):
            if values.generation != 0:
                return None
            number, holder = values.idnum, values.get_object()
            values = holder
        if not isinstance(values, ArrayObject) or not 0 <= mcid < len(values):
            return None
        if not _same(values[mcid], second):
            return None
        changes.append((number, holder, values, mcid))
    return changes


def _name(text: str) -> Any:
    from pypdf.generic import NameObject

    return NameObject(text)
