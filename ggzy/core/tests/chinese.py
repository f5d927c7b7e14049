"""The Chinese-label sweep (issue 20): every admin screen a role reaches, read as
its user sees it, must carry no Latin-only label outside a short allow-list."""

import re
from collections.abc import Iterable
from html.parser import HTMLParser

from django.test import Client

from .access import CRAWL_SKIP, _screen_of, request

# Words that are Latin in Chinese offices too.
ALLOWED = {
    "PDF",
    "CSV",
    "XLSX",
    "XLS",
    "IP",
    "SSH",
    "URL",
    "ID",
    "API",
    "HTTP",
    "HTTPS",
    "SNMP",
    "TOTP",
    "MFA",
    "DOCX",
    "DOC",
    "WPS",
    "OFD",
    "ZIP",
    "RAR",
    "JPG",
    "PNG",
    "SVG",
    "GIF",
    "MAC",
    "VPN",
    "ICP",
    "TLS",
    "HTML",
    "XML",
    "VLAN",
    "RSS",
    "UTF",
    "BOM",
    "SHA",
    "DNS",
    "UPS",
    "CPU",
    "OK",
    "KB",
    "MB",
    "GB",
    "AM",
    "PM",
    "iCalendar",
    "restic",
    "nmap",
    "localhost",
    "lynis",
    "Excel",
    "SQLite",
    "PostgreSQL",
    "Redis",
    "ClamAV",
    "Wagtail",
}
# Elements whose text is a label the software wrote (table cells and paragraphs carry data too).
LABEL_TAGS = {
    "label",
    "th",
    "button",
    "legend",
    "caption",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "summary",
    "a",
    "option",
}
HIDDEN_TAGS = {"script", "style", "template", "svg", "noscript", "textarea", "pre", "code"}
LABEL_ATTRS = {"placeholder", "aria-label", "title", "alt"}
# A label is words; a code (network/unapproved-change:1, yjya.6.1, a file name) is not.
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ,'’…?!()&-]*[A-Za-z…?!)]$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


class _Labels(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)
        self.found: list[str] = []

    def _hidden(self) -> bool:
        return any(hidden or tag in HIDDEN_TAGS for tag, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = "hidden" in attrs or attrs.get("type") == "hidden"
        if not hidden and not self._hidden():
            self.found.extend(value for name, value in attrs.items() if name in LABEL_ATTRS and value)
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"}:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        if any(t == tag for t, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if self._hidden() or not LABEL_TAGS & {tag for tag, _ in self.stack}:
            return
        self.found.append(data)


# Leaks whose fix is not ggzy's templates or catalog, each with its reason (docs/portal.md
# "Not done yet"): a Latin label found anywhere else fails the sweep.
KNOWN: dict[str, str] = {
    "Root": "Wagtail's root page and root collection are named by its migrations (data)",
    "Root page": "Wagtail's Sites listing: Column('root_page') without a label",
    "Port": "Wagtail's Sites listing: Column('port') without a label",
    "Site name": "Wagtail's Sites listing: Column('site_name') without a label",
    "Page": "Wagtail's workflow editor: a page chooser column without a label",
    "room": "facility Sensor.room has no verbose_name (needs a facility migration)",
    "last error": "facility Sensor.last_error has no verbose_name (needs a facility migration)",
    "obligation key": "facility MajorTask.obligation_key has no verbose_name (needs a facility migration)",
}


def latin_labels(body: str, data: Iterable[str] = ()) -> list[str]:
    """Labels (label-like elements' text, placeholder/title/aria-label/alt) in Latin
    words with no Chinese, less the allow-list and ``data`` (values people typed)."""
    parser = _Labels()
    parser.feed(body)
    known = {w.lower() for d in data for w in _WORD.findall(d)}
    found = []
    for text in parser.found:
        text = " ".join(text.split())
        if not text or text in KNOWN or re.search(r"[\u3400-\u9fff]", text) or not _LABEL.match(text):
            continue
        words = [
            w
            for w in _WORD.findall(text)
            if w.lower() not in known and w.upper() not in ALLOWED and w not in ALLOWED
        ]
        if any(len(w) > 2 for w in words) and text not in found:
            found.append(text[:80])
    return found


def sweep(
    client: Client, start: Iterable[str], *, depth: int = 1, data: Iterable[str] = ()
) -> dict[str, list[str]]:
    """GET the start URLs and, one screen per URL name, the admin links on them;
    {url: Latin-only labels} for the screens that have any."""
    data = list(data)
    leaks: dict[str, list[str]] = {}
    seen: set[str] = set()
    screens: set[str] = set()
    frontier = [url for url in start if not CRAWL_SKIP.match(url)]
    for level in range(depth + 1):
        found = []
        for url in frontier:
            if url in seen:
                continue
            seen.add(url)
            screens.add(_screen_of(url))
            response = request(client, "get", url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            body = response.content.decode()
            labels = latin_labels(body, data)
            if labels:
                leaks[url] = labels
            if level == depth:
                continue
            for link in re.findall(r'href="(/admin/[^"#]*)"', body):
                link = link.replace("&amp;", "&")
                screen = _screen_of(link)
                if link not in seen and screen not in screens and not CRAWL_SKIP.match(link):
                    screens.add(screen)
                    found.append(link)
        frontier = found
    return leaks
