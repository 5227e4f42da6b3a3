"""One walk over a parsed document, shared by the rule sets that run on it.

``validate_tree`` builds a :class:`Tree` once per document and hands it to every rule set, so
the EN 16931 business and syntax rules and the Peppol rules do not each walk the document to
find their elements. The tree also keeps a Python object alive for every element while the
rules run: lxml creates the proxy of an element when Python first touches it and frees it when
the last reference goes, so without this every loop over children would build and free the
same proxies again, which is most of the cost of walking a small document.

A rule set called without a tree (a test, a caller with a root only) builds its own; the tree
must not outlive a change to the document.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from lxml import etree

Element = etree._Element
Kids = dict[str, list[Element]]


class Tree:
    """The elements of one document in document order, and grouped by tag."""

    __slots__ = ("_kids", "_order", "by_tag", "elements", "root")

    def __init__(self, root: Element) -> None:
        self.root = root
        # iter("*") yields elements only (no comments or processing instructions).
        elements: list[Element] = list(root.iter("*"))
        self.elements = elements
        by_tag: dict[str, list[Element]] = {}
        for el in elements:
            tag = el.tag  # elements only, so always a str
            found = by_tag.get(tag)
            if found is None:
                by_tag[tag] = [el]
            else:
                found.append(el)
        self.by_tag = by_tag
        """Every element by its Clark-notation tag, in document order (do not modify)."""
        self._order: dict[Element, int] | None = None
        self._kids: dict[Element, Kids] = {}

    def all(self, tag: str) -> list[Element]:
        """Every element with ``tag`` anywhere in the document (do not modify the list)."""
        return self.by_tag.get(tag, [])

    def kids(self, el: Element) -> Kids:
        """The children of ``el`` grouped by tag, in document order; computed once per element.

        Looking a child up here costs a dict lookup, against a scan of the children (each
        building its tag string) for ``iterchildren(tag)`` or a loop. Do not modify the result.
        """
        found = self._kids.get(el)
        if found is None:
            found = {}
            for child in el:
                tag = child.tag
                same = found.get(tag)
                if same is None:
                    found[tag] = [child]
                else:
                    same.append(child)
            self._kids[el] = found
        return found

    @property
    def order(self) -> dict[Element, int]:
        """The position of each element in document order (the root is 0)."""
        if self._order is None:
            self._order = {el: i for i, el in enumerate(self.elements)}
        return self._order


def tree_of(root: Element, tree: Tree | None) -> Tree:
    """``tree`` when it is the tree of ``root``, else a new one."""
    if tree is not None and tree.root is root:
        return tree
    return Tree(root)


class _Active(threading.local):
    kids: Callable[[Element], Kids] | None = None  # Tree.kids of the document being checked


active = _Active()
"""The children lookup of the document a rule set is checking in this thread, if any."""


@contextmanager
def children_of(tree: Tree) -> Iterator[None]:
    """Let the path helpers of the rule sets look children up in ``tree`` while it is active."""
    previous = active.kids
    active.kids = tree.kids
    try:
        yield
    finally:
        active.kids = previous
