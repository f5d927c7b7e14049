"""Reads: what screening finds in a page's latest revision, and which warnings
still wait for a 信息发布管理小组 acknowledgement."""

from __future__ import annotations

from .rules import Finding

SCREENED_PAGE_FIELDS = ("title", "body", "source_name", "keywords", "search_description", "seo_title")


def page_findings_latest(page) -> list[Finding]:
    """Findings in the page as last saved (its latest revision, else the page)."""
    from .forms import page_findings

    specific = page.specific
    current = specific.get_latest_revision_as_object() if specific.has_unpublished_changes else specific
    parent = page.get_parent()
    values = {name: getattr(current, name) for name in SCREENED_PAGE_FIELDS if hasattr(current, name)}
    found = page_findings(values, column_slug=parent.slug if parent else None)
    return [f for findings in found.values() for f in findings]


def unacknowledged_warnings(*, page) -> list[Finding]:
    """Warnings in the latest revision that no reviewer has acknowledged yet."""
    from .models import FindingAcknowledgement

    revision = page.get_latest_revision()
    done = set(
        FindingAcknowledgement.objects.filter(revision=revision).values_list("rule", "source", "offset")
        if revision
        else ()
    )
    return [
        f for f in page_findings_latest(page) if not f.blocking and (f.rule, f.source, f.offset) not in done
    ]
