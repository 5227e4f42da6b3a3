"""A journal entry's source document is a link to its page for a viewer who may see it (through
the payables gate) and plain text for anyone else: never a link that would answer 404."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from faelles.payables import services
from faelles.payables.tests.factories import make_world
from faelles.web.sources import SourceLink, source_link


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def invoice(world, dkk_document):
    return services.document_receive(content=dkk_document(), channel="api").invoice


def test_the_viewer_of_the_invoice_gets_a_link(world, invoice):
    link = source_link(world.bookkeeper, "payables.invoice", invoice.pk)

    assert link == SourceLink(
        f"Invoice Snippet1 · {invoice.vendor}",
        reverse("payables:invoice-detail", args=[invoice.pk]),
    )


def test_a_foreign_user_gets_plain_text_in_danish(invoice):
    foreign = make_world(gln="5790000000012")

    with translation.override("da"):
        link = source_link(foreign.bookkeeper, "payables.invoice", invoice.pk)

    assert link == SourceLink(f"Faktura {invoice.pk}")


def test_missing_anonymous_unknown_and_manual_sources_are_plain(world, invoice):
    assert source_link(world.bookkeeper, "payables.invoice", 999999) == SourceLink("Invoice 999999")
    assert source_link(AnonymousUser(), "payables.invoice", invoice.pk) == SourceLink(
        f"Invoice {invoice.pk}"
    )
    assert source_link(world.bookkeeper, "demo", 7) == SourceLink("demo 7")
    assert source_link(world.bookkeeper, "", None) == SourceLink("Manual entry")


def test_the_template_tag_links_for_the_request_user(world, invoice):
    template = Template(
        "{% load audit_labels %}{% source_link t i as s %}"
        '{% if s.url %}<a href="{{ s.url }}">{{ s.text }}</a>{% else %}{{ s.text }}{% endif %}'
    )
    request = RequestFactory().get("/")
    request.user = world.bookkeeper

    html = template.render(Context({"request": request, "t": "payables.invoice", "i": invoice.pk}))

    url = reverse("payables:invoice-detail", args=[invoice.pk])
    assert html == f'<a href="{url}">Invoice Snippet1 · {invoice.vendor}</a>'
