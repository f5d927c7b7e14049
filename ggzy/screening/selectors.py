"""Reads: what screening finds in a page's latest revision, and which warnings
still wait for a 信息发布管理小组 acknowledgement."""

from __future__ import annotations

from .models import FindingAcknowledgement
from .pagescreen import page_findings
from .rules import Finding

SCREENED_PAGE_FIELDS = ("title", "body", "source_name", "keywords", "search_description", "seo_title")


def page_findings_latest(page) -> list[Finding]:
    """Findings in the page as last saved (its latest revision, else the page)."""

    specific = page.specific
    current = specific.get_latest_revision_as_object() if specific.has_unpublished_changes else specific
    parent = page.get_parent()
    values = {name: getattr(current, name) for name in SCREENED_PAGE_FIELDS if hasattr(current, name)}
    found = page_findings(values, column_slug=parent.slug if parent else None)
    return [f for findings in found.values() for f in findings]


def unacknowledged_warnings(*, page) -> list[Finding]:
    """Warnings in the latest revision that no reviewer has acknowledged yet."""

    revision = page.get_latest_revision()
    done = set(
        FindingAcknowledgement.objects.filter(revision=revision).values_list("rule", "source", "offset")
        if revision
        else ()
    )
    return [
        f for f in page_findings_latest(page) if not f.blocking and (f.rule, f.source, f.offset) not in done
    ]


def finding_acknowledgements(*, revision) -> list[dict]:
    """Who acknowledged which warning of ``revision``, and why (for the publication record)."""

    acknowledgements = FindingAcknowledgement.objects.filter(revision=revision).select_related(
        "acknowledged_by"
    )
    return [
        {
            "rule": a.rule,
            "excerpt": a.excerpt,
            "reason": a.reason,
            "by": a.acknowledged_by.get_full_name() or a.acknowledged_by.get_username(),
            "at": a.acknowledged_at.isoformat(),
        }
        for a in acknowledgements
    ]
