"""Generate ggzy/compliance/data/clauses.json from the regulation text.

Run once (and again only if the regulation text changes); the JSON file is the
source of truth afterwards: homes, justifications and reading notes are edited
there. Re-running keeps every key's home fields and reports keys that vanished.

    .venv/bin/python scripts/compliance_catalogue.py
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ggzy.compliance.regulation_text import parse  # noqa: E402

OUT = ROOT / "ggzy" / "compliance" / "data" / "clauses.json"
HOME_FIELDS = ("home", "home_refs", "justification", "reading_note")


def main() -> int:
    provisions, _markers = parse()
    old = {}
    if OUT.exists():
        old = {row["key"]: row for row in json.loads(OUT.read_text(encoding="utf-8"))}
    rows = []
    for p in provisions:
        row = {
            "key": p.key,
            "citation": p.citation,
            "regulation": p.regulation,
            "heading": p.heading,
            "text": p.text,
            "home": "unhomed",
            "home_refs": [],
            "justification": "",
            "reading_note": "",
        }
        for name in HOME_FIELDS:
            if p.key in old:
                row[name] = old[p.key].get(name, row[name])
        rows.append(row)
    gone = sorted(set(old) - {row["key"] for row in rows})
    if gone:
        print(f"keys no longer in the text (dropped): {gone}", file=sys.stderr)
    OUT.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} clauses written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
