"""Checks for the server-rendered SVG charts: every coordinate must parse as a number in any
language (a Danish decimal comma would not), and bars must be drawn to scale."""

from __future__ import annotations

import re

from lxml import etree

SVG_NS = {"s": "http://www.w3.org/2000/svg"}
COORDINATES = ("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def chart_svgs(html: str) -> dict[str, etree._Element]:
    """The page's charts (``<svg class="faelles-bar-chart">``, not the icons), parsed as XML,
    by id."""
    charts = {}
    for match in re.finditer(r"<svg\b.*?</svg>", html, flags=re.S):
        text = match.group(0)
        if "faelles-bar-chart" not in text.split(">", 1)[0]:
            continue
        element = etree.fromstring(text.encode())
        charts[element.get("id")] = element
    return charts


def check_numbers(svg: etree._Element) -> int:
    """Assert that every numeric attribute (coordinates, sizes, viewBox, points, path data,
    transforms) is made of plain numbers with a ``.`` decimal point; return how many were
    checked."""
    checked = 0
    for element in svg.iter():
        for name in COORDINATES:
            value = element.get(name)
            if value is not None:
                assert NUMBER.fullmatch(value), f"{name}={value!r}"
                float(value)
                checked += 1
        box = element.get("viewBox")
        if box is not None:
            parts = box.split(" ")
            assert len(parts) == 4 and all(NUMBER.fullmatch(p) for p in parts), box
            checked += 1
        for name in ("points", "d", "transform"):
            value = element.get(name)
            if value is not None:
                numbers = re.findall(r"-?[\d.,]+", value)
                assert all(NUMBER.fullmatch(n.strip(",")) for n in numbers), f"{name}={value!r}"
                checked += 1
    return checked


def bar_heights(svg: etree._Element) -> dict[str, list[float]]:
    """Each bar's segment heights, by the bar's category."""
    return {
        g.get("data-category"): [float(r.get("height")) for r in g.findall("s:rect", SVG_NS)]
        for g in svg.findall("s:g", SVG_NS)
    }
