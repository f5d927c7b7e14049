"""Demo content (`make demo`, issue 20): a separate state filled with a few hundred
realistic items so that a newcomer sees the portal as it will be.

Everything goes through the roads real content takes:

- staff of every role are created with ``accounts.user_create`` by the first
  系统管理员 (三权分立 checked, audited), with generated passwords written once to a
  0600 file under ``VAR_DIR`` (never printed, never logged);
- the 网站管理员 saves the site identity (``portal.site_identity_update``) with values
  that say 演示;
- notices of every kind are pushed to the intake API over HTTP (Django's test client
  through the whole middleware stack, with tokens made by ``api_token_create``), so
  each call is in the API's call log and the audit chain, and each becomes a draft in
  its column's chain drafted by the token's service user;
- articles are drafted by the 信息员 of a source department of their column and
  submitted (``submit_for_review``);
- every step of every chain is approved (``task_act``, ticking the step's checklist)
  by the demo person the step's own rule lets act (``task.refusal``): the 科室负责人 of
  the submitter's department, the 信息发布管理小组, the 分管领导 where the column's chain
  has that step, and the 信息发布员, whose approval publishes. A few items are left
  waiting at a step and one is sent back, so the dashboards have work on them;
- the hall screens are registered by the 机房管理员, then the static site is built
  (``build_site``) and the screens' files written.

The word stock is data (``data/demo.toml``); dates are computed from today on the
working-day calendar so that the statutory periods hold and the 开标日程 and the
hall screens show openings in the coming working days.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import random
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, WorkflowState

from ggzy.accounts import services as accounts
from ggzy.accounts.models import Department, Role, User
from ggzy.core.calendar import Calendar, add_working_days, load_calendar
from ggzy.core.credit_code import credit_code_check_character
from ggzy.ingest.uploads import validate_upload
from ggzy.notices import services as notices
from ggzy.notices.choices import NoticeKind
from ggzy.notices.models import ApiToken, IntakeNotice, NoticePage
from ggzy.portal import services as portal
from ggzy.portal.models import ArticlePage, ColumnPage
from ggzy.publishing.services import submit_for_review, task_act
from ggzy.screens.publish import screens_publish
from ggzy.screens.registers import SCREENS

DEMO_DATA = Path(__file__).parent / "data" / "demo.toml"
PASSWORD_FILE = "demo-passwords.txt"  # noqa: S105 (a file name)
API_PATH = "/api/v1/notices/"
# Roles that act on approval steps, in the order tried for a step.
REVIEWER_ROLES = ("department_head", "review_group", "leader", "publisher")
DEFAULT_SCALE = 6


class DemoRefused(Exception):
    """demo_fill will not run here (production, or a database with real content)."""


class AlreadyFilled(DemoRefused):
    """demo_fill already ran on this state (running it again changes nothing)."""


class DemoFailed(Exception):
    """A step of the fill did not go as a real user's would (a refused call, a stuck chain)."""


@dataclass
class DemoResult:
    seconds: float
    users: int
    tokens: int
    api_calls: int
    notices: Counter = field(default_factory=Counter)  # kind → live notices
    articles: Counter = field(default_factory=Counter)  # column title → live articles
    waiting: int = 0  # items left at an approval step
    rejected: int = 0
    images: int = 0
    documents: int = 0
    screens: int = 0
    mails: int = 0  # notification e-mails of the chains (kept in memory)
    site_files: int = 0
    password_file: Path | None = None

    @property
    def live_items(self) -> int:
        return sum(self.notices.values()) + sum(self.articles.values())


# --------------------------------------------------------------------------- guards


def demo_state() -> str:
    """``"empty"`` (a fresh state after setup_center), ``"demo"`` (demo_fill ran here)
    or ``"real"`` (people, tokens or content the demo did not make)."""
    data = load_demo_data()
    if ApiToken.objects.filter(name__in=list(data["tokens"].values())).exists():
        return "demo"
    has_people = User.objects.filter(is_superuser=False, is_active=True).exclude(username__startswith="api.")
    if (
        has_people.exists()
        or ApiToken.objects.exists()
        or ArticlePage.objects.exists()
        or Page.objects.type(NoticePage).exists()
    ):
        return "real"
    return "empty"


def refuse_production() -> None:
    if settings.PRODUCTION or settings.GGZY_ENV == "production":
        raise DemoRefused(
            "demo_fill refuses to run with GGZY_ENV=production: demo content never goes into a "
            "production database. Use `make demo` on a workstation (its own state under var/demo)."
        )


def load_demo_data(path: Path = DEMO_DATA) -> dict[str, Any]:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


# --------------------------------------------------------------------------- helpers


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _json(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value))


def _paragraphs(lines: Iterable[str]) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


def xlsx_bytes(headers: list[str], rows: list[list[Any]], *, title: str) -> bytes:
    """A small real .xlsx (openpyxl): the forms of 资料下载 and the notices' attachments."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def png_bytes(seed: int, size: tuple[int, int] = (960, 540)) -> bytes:
    """A picture for 图片新闻 (Pillow): a sky, hills and a building block, colours by seed."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)  # noqa: S311 (sample picture)
    width, height = size
    image = Image.new("RGB", size, (rng.randrange(120, 200), rng.randrange(170, 220), 235))
    draw = ImageDraw.Draw(image)
    for i in range(3):
        colour = (rng.randrange(40, 110), rng.randrange(110, 170), rng.randrange(40, 90))
        base = height - 60 - i * 40
        draw.polygon(
            [(0, height), (0, base), (width // 3, base - 80), (width, base - 10), (width, height)],
            fill=colour,
        )
    left = rng.randrange(80, width - 380)
    draw.rectangle([left, height - 330, left + 300, height - 60], fill=(225, 225, 220))
    for row in range(6):
        for col in range(5):
            x, y = left + 20 + col * 56, height - 310 + row * 42
            draw.rectangle([x, y, x + 36, y + 26], fill=(90, 130, 170))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --------------------------------------------------------------------------- the content


class Corpus:
    """Deterministic realistic notices and articles from the word stock (seeded)."""

    def __init__(self, data: dict[str, Any], *, today: dt.date, calendar: Calendar, seed: int = 20):
        self.data = data
        self.words = data["words"]
        self.templates = data["templates"]
        self.today = today
        self.calendar = calendar
        self.rng = random.Random(seed)  # noqa: S311 (sample data, seeded on purpose)
        self.serial = Counter()

    def pick(self, key: str) -> str:
        return self.rng.choice(self.words[key])

    def credit_code(self, prefix: str = "11410800") -> str:
        body = prefix + "".join(self.rng.choice("0123456789") for _ in range(17 - len(prefix)))
        return body + credit_code_check_character(body)

    def money(self, low: int, high: int) -> Decimal:
        return Decimal(self.rng.randrange(low * 100, high * 100)) / 100

    def working_day(self, days: int) -> dt.date:
        """``days`` working days from today (0: today, or the next working day)."""
        return add_working_days(self.today, days, calendar=self.calendar).date

    def past_working_day(self, days_ago: int) -> dt.date:
        """The working day ``days_ago`` calendar days back, or the one before it."""
        day = self.today - dt.timedelta(days=days_ago)
        while not self.calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def after(self, day: dt.date, working_days: int) -> dt.date:
        return add_working_days(day, working_days, calendar=self.calendar).date

    def next_code(self, trade: str) -> str:
        prefix = {"construction": "JS", "procurement": "CG", "property": "CQ", "land": "TD"}[trade]
        self.serial[trade] += 1
        return f"JZ{prefix}{self.today.year}-{self.serial[trade] + 100:04d}"

    def _core(self, trade: str, code: str, *, project: str, owner: str, district: str) -> dict[str, Any]:
        room = self.pick("rooms")
        fmt = {"project": project, "owner": owner, "district": district, "room": room, "code": code}
        return {
            "project_code": code,
            "section_code": "01",
            "project_name": project,
            "owner_name": owner,
            "owner_credit_code": self.credit_code("11410800" if trade != "property" else "91410800"),
            "agency_name": self.pick("agencies"),
            "contact": f"{self.pick('contacts')} 0391-{self.rng.randrange(3500000, 3999999)}",
            "body": _paragraphs(line.format(**fmt) for line in self.data["notices"]["body"]),
            "_fmt": fmt,
            "_room": room,
        }

    def _title(self, kind: str, fmt: dict[str, str]) -> str:
        return self.data["notices"]["titles"][kind.replace(".", "_")].format(**fmt)

    def project(self, trade: str, story: str) -> list[dict[str, Any]]:
        """The notices of one project, in the order the trading system sends them.

        Stories: construction ``open`` (an opening in the coming working days),
        ``future``, ``prequalification``, ``candidates`` (publicity running),
        ``complete`` (tender → 拦标价/资格预审 → candidates → result); procurement
        ``open``, ``changed`` (tender → change moving the deadline), ``result``;
        property ``open``, ``sold``; land ``grant``, ``result``."""
        code = self.next_code(trade)
        district = self.pick("districts")
        bureau = self.pick("bureaus")
        t = self.templates
        owner = t["owner"].format(district=district, bureau=bureau)
        project = t[f"{trade}_project"].format(
            district=district,
            year=self.today.year,
            work=self.pick("works"),
            owner=owner,
            goods=self.pick("goods"),
            asset=self.pick("assets").format(district=district),
            code=code,
        )
        core = self._core(trade, code, project=project, owner=owner, district=district)
        fmt = core.pop("_fmt")
        self.room = core.pop("_room")
        fmt["owner_short"] = bureau
        make = getattr(self, f"_{trade}")
        notices = make(story, core, fmt)
        for index, notice in enumerate(notices):
            notice.setdefault("title", self._title(notice["kind"], fmt))
            notice["external_id"] = f"DEMO-{code}-{index + 1}"
        return notices

    # -- dates of tenders: the opening on a working day, 招标文件 out ≥ 20 days before
    # (招标投标法 第二十四条), 发售期 ≥ 5 days / 5 working days.
    def _tender(self, kind: str, core: dict[str, Any], opening_day: dt.date) -> dict[str, Any]:
        opening = _aware(opening_day, self.rng.choice([9, 9, 10, 14, 15]), self.rng.choice([0, 30]))
        # 30 days: the 20-day minimum even when its last day falls in a long holiday.
        start_day = opening_day - dt.timedelta(days=30)
        # 发售期: 7 working days (≥ 5 days, 实施条例 第十六条; ≥ 5 working days, 87号令 第十八条).
        end_day = add_working_days(start_day, 7, calendar=self.calendar).date
        return {
            **core,
            "kind": kind,
            "pickup_start": _aware(start_day, 9),
            "pickup_end": _aware(end_day, 17),
            "bid_deadline": opening,
            "bid_opening": opening,
            "bid_opening_room": self.room,
            # 万元, as the center's notices state budgets and prices.
            "budget": self.money(80, 4800) if kind.startswith("construction") else self.money(20, 900),
            "budget_unit": "wan_yuan",
        }

    def _result_body(self, fmt: dict[str, str]) -> str:
        return _paragraphs(line.format(**fmt) for line in self.data["notices"]["result_body"])

    def _candidates(self, core, fmt, start: dt.date) -> dict[str, Any]:
        names = self.rng.sample(self.words["companies"], 3)
        leads = self.rng.sample(self.words["leads"], 3)
        base = self.money(300, 4000) * 10000
        return {
            **core,
            "kind": "construction.candidates",
            "body": self._result_body(fmt),
            "publicity_start": start,
            # 5 working days: never short of the 3-day minimum, holidays or not (第五十四条).
            "publicity_end": self.after(start, 5),
            "objection_method": self.data["notices"]["objection"],
            "candidates": [
                {
                    "rank": rank,
                    "name": names[rank - 1],
                    "price": (base * (1 + Decimal(rank - 1) / 50)).quantize(Decimal("0.01")),
                    "project_lead": leads[rank - 1],
                }
                for rank in (1, 2, 3)
            ],
        }

    def _construction(self, story: str, core, fmt) -> list[dict[str, Any]]:
        today = self.today
        if story == "open":
            # Today and the next 3 working days: the home page's 开标日程 and the screens' 今日开标.
            return [self._tender("construction.tender", core, self.working_day(self.rng.randrange(0, 4)))]
        if story == "future":
            return [self._tender("construction.tender", core, self.working_day(self.rng.randrange(8, 20)))]
        opening_day = self.past_working_day(self.rng.randrange(12, 30))
        tender = self._tender("construction.tender", core, opening_day)
        prequalification = {
            **core,
            "kind": "construction.prequalification",
            "body": self._result_body(fmt),
            "control_price": (tender["budget"] * Decimal("0.95")).quantize(Decimal("0.01")),
            "amount_unit": "wan_yuan",
            "publicity_start": self.past_working_day((today - opening_day).days + 10),
            "publicity_end": self.past_working_day((today - opening_day).days + 4),
        }
        if story == "prequalification":
            start = self.working_day(0)
            prequalification |= {"publicity_start": start, "publicity_end": self.after(start, 5)}
            return [
                self._tender("construction.tender", core, self.working_day(self.rng.randrange(3, 9))),
                prequalification,
            ]
        if story == "candidates":
            return [tender, self._candidates(core, fmt, self.past_working_day(self.rng.randrange(0, 3)))]
        candidates = self._candidates(core, fmt, self.after(opening_day, 2))
        first = candidates["candidates"][0]
        result = {
            **core,
            "kind": "construction.result",
            "body": self._result_body(fmt),
            "winner_name": first["name"],
            "award_amount": first["price"],
            "amount_unit": "yuan",
            "award_date": min(today, self.after(opening_day, 8)),
        }
        return [tender, prequalification, candidates, result]

    def _procurement(self, story: str, core, fmt) -> list[dict[str, Any]]:
        if story == "open":
            return [self._tender("procurement.tender", core, self.working_day(self.rng.randrange(0, 10)))]
        if story == "changed":
            tender = self._tender("procurement.tender", core, self.working_day(self.rng.randrange(1, 5)))
            new_opening = _aware(self.working_day(15), 9, 30)  # ≥ 15 days after the change (第二十三条)
            change = {
                **{k: v for k, v in core.items() if k != "body"},
                "kind": "procurement.change",
                "changes": None,  # filled with the tender's external_id
                "change_summary": self.data["notices"]["change_summary"],
                "bid_deadline": new_opening,
                "bid_opening": new_opening,
                "bid_opening_room": tender["bid_opening_room"],
                "body": _paragraphs([self.data["notices"]["change_summary"]]),
            }
            return [tender, change]
        opening_day = self.past_working_day(self.rng.randrange(8, 25))
        tender = self._tender("procurement.tender", core, opening_day)
        result = {
            **core,
            "kind": "procurement.result",
            "body": self._result_body(fmt),
            "winner_name": self.pick("companies"),
            "award_amount": (tender["budget"] * Decimal("0.93")).quantize(Decimal("0.01")),
            "amount_unit": "wan_yuan",
            "award_date": self.today,  # published within 2 working days (实施条例 第四十三条)
        }
        return [tender, result]

    def _listing(self, kind, core, fmt, start: dt.date, end: dt.date, *, land: bool) -> dict[str, Any]:
        notice = {
            **core,
            "kind": kind,
            "body": _paragraphs(line.format(**fmt) for line in self.data["notices"]["listing_body"]),
            "subject_name": fmt["code"] if land else fmt["project"],
            "starting_price": (price := self.money(50, 6000)),
            "price_unit": "wan_yuan",
            "deposit": (price * Decimal("0.2")).quantize(Decimal("0.01")),
            "listing_start": start,
            "listing_end": end,
        }
        if land:
            notice |= {
                "location": self.templates["location"].format(district=fmt["district"]),
                "area": self.money(2000, 60000),
                "land_use": self.pick("land_uses"),
            }
        return notice

    def _deal(self, kind, core, fmt, *, subject: str, price: Decimal, day: dt.date) -> dict[str, Any]:
        return {
            **core,
            "kind": kind,
            "body": self._result_body(fmt),
            "subject_name": subject,
            "transaction_price": price,
            "price_unit": "wan_yuan",
            "transferee": self.pick("companies"),
            "transaction_date": day,
        }

    def _property(self, story: str, core, fmt) -> list[dict[str, Any]]:
        if story == "open":
            start = self.past_working_day(self.rng.randrange(0, 10))
            end = add_working_days(start, 22, calendar=self.calendar).date  # ≥ 20 working days (32号令)
            return [self._listing("property.transfer", core, fmt, start, end, land=False)]
        start = self.past_working_day(60)
        end = add_working_days(start, 21, calendar=self.calendar).date
        transfer = self._listing("property.transfer", core, fmt, start, end, land=False)
        price = (transfer["starting_price"] * Decimal("1.08")).quantize(Decimal("0.01"))
        deal = self._deal(
            "property.result", core, fmt, subject=fmt["project"], price=price, day=end + dt.timedelta(days=3)
        )
        return [transfer, deal]

    def _land(self, story: str, core, fmt) -> list[dict[str, Any]]:
        if story == "grant":
            start = self.working_day(20)  # ≥ 20 days after the notice (39号令 第十条)
            return [self._listing("land.grant", core, fmt, start, self.after(start, 10), land=True)]
        # A parcel whose grant notice predates the demo: its result only.
        price = self.money(500, 9000)
        return [
            self._deal(
                "land.result",
                core,
                fmt,
                subject=fmt["code"],
                price=price,
                day=self.past_working_day(3),
            )
        ]


# Stories per scale unit (a scale of 6 gives about 180 notices).
STORIES = (
    ("construction", "open", 3),
    ("construction", "future", 1),
    ("construction", "prequalification", 1),
    ("construction", "candidates", 1),
    ("construction", "complete", 2),
    ("procurement", "open", 3),
    ("procurement", "changed", 1),
    ("procurement", "result", 2),
    ("property", "open", 1),
    ("property", "sold", 1),
    ("land", "grant", 1),
    ("land", "result", 1),
)

# Articles per scale unit: column (slug path) → how many (a scale of 6 gives about 110).
ARTICLE_PLAN = {
    "zytz": 2,
    "zxdt/zxjb": 2,
    "zxdt/ztxx": 1,
    "zxdt/tpxw": 1,
    "zxdt/hyxx": 2,
    "zcfg/gjj": 1,
    "zcfg/sj": 1,
    "zcfg/shij": 1,
    "bszn/fwzn": 1,
    "bszn/ywlc": 1,
    "bszn/czgc": 1,
    "zlxz/bgxz": 1,
    "zwgk": 1,
    "tpzs": 1,
    "llyj": 0.5,
    "whyd": 0.5,
    "ztdh": 0.5,
}
PICTURE_COLUMNS = {"zxdt/tpxw", "tpzs", "ztdh"}


# --------------------------------------------------------------------------- the fill


class Filler:
    def __init__(self, *, scale: int, data: dict[str, Any], port: int):
        self.scale = scale
        self.data = data
        self.port = port
        self.today = timezone.localdate()
        self.calendar = load_calendar()
        self.corpus = Corpus(data, today=self.today, calendar=self.calendar)
        self.people: dict[str, User] = {}
        self.by_role: dict[str, list[User]] = {}
        self.admin = User.objects.filter(is_superuser=True).order_by("pk").first()
        self.result = DemoResult(seconds=0, users=0, tokens=0, api_calls=0)

    # -- people
    def users(self) -> Path:
        roles = {r.key: r.group for r in Role.objects.select_related("group")}
        departments = {d.code: d for d in Department.objects.all()}
        lines = []
        for username, family, given, department, role_keys in self.data["people"]["users"]:
            password = accounts.generate_password(16)
            user = accounts.user_create(
                username=username,
                department=departments[department],
                password=password,
                groups=[roles[key] for key in role_keys],
                email=f"{username}@example.invalid",
                first_name=given,
                last_name=family,
                actor=self.admin,
            )
            self.people[username] = user
            for key in role_keys:
                self.by_role.setdefault(key, []).append(user)
            role_names = self.data["templates"]["role_separator"].join(roles[k].name for k in role_keys)
            lines.append(
                f"{username}\t{family}{given}\t{departments[department].name}\t{role_names}\t{password}"
            )
        self.result.users = len(self.people)
        return self._write_passwords(lines)

    def _write_passwords(self, lines: list[str]) -> Path:
        # Owner-only from its creation (like first-admin-password.txt); never printed or logged.
        target = Path(settings.VAR_DIR) / PASSWORD_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(
                "# Demo staff of `make demo` (user name, name, department, roles, password).\n"
                "# Each password must be changed at first login; administrators and publishing\n"
                "# roles then enrol a second factor (TOTP), as in production.\n"
            )
            handle.write("\n".join(lines) + "\n")
        return target

    def drafter_for(self, column: ColumnPage, turn: int) -> User:
        drafters = {u.department.code: u for u in self.by_role["drafter"]}
        policy = getattr(column, "policy", None)
        sources = [d.code for d in policy.source_departments.order_by("sort_order")] if policy else []
        sources = [code for code in sources if code in drafters]
        if not sources:
            # A column with no source department (理论研究, 中心文化园地): only the roles that
            # work on every column draft there (publishing.rules.user_may_draft_in).
            return self.by_role["website_admin"][0]
        return drafters[sources[turn % len(sources)]]

    # -- identity and screens
    def identity(self) -> None:
        values = dict(self.data["identity"])
        values["domain"] = f"127.0.0.1:{self.port}"
        values["police_url"] = f"http://127.0.0.1:{self.port}/"
        portal.site_identity_update(data=values, actor=self.by_role["website_admin"][0])

    def screens(self) -> None:
        keeper = self.by_role["machine_room_admin"][0]
        for name, location, openings, publicity, notices_ in self.data["hall"]["screens"]:
            data = {
                "name": name,
                "location": location,
                "scroll_speed": "40",
                "refresh_seconds": "30",
                "offline_minutes": "5",
                "enabled": "on",
            }
            for key, on in (
                ("show_openings", openings),
                ("show_publicity", publicity),
                ("show_notices", notices_),
            ):
                if on:
                    data[key] = "on"
            SCREENS.save(register=SCREENS["screens"], instance=None, data=data, actor=keeper)
            self.result.screens += 1

    # -- the chain
    def walk(self, page: Page, *, steps: int | None = None) -> None:
        """Approve the page's steps as the person each step's rule lets act (all of them,
        or ``steps``); the last approval publishes (chain_finished)."""
        candidates = [u for role in REVIEWER_ROLES for u in self.by_role.get(role, [])]
        comments = self.data["comments"]
        done = 0
        while steps is None or done < steps:
            page = Page.objects.get(pk=page.pk).specific
            state = page.current_workflow_task_state
            if state is None:
                return
            task = state.task.specific
            actor = next((u for u in candidates if task.refusal(page, u) is None), None)
            if actor is None:
                raise DemoFailed(
                    f"nobody among the demo staff may act on step {task.name!r} of {page.title!r}"
                )
            role = next(r for r in REVIEWER_ROLES if actor in self.by_role.get(r, []))
            task_act(
                page=page,
                actor=actor,
                action="approve",
                comment=self.corpus.rng.choice(comments[role]),
                confirmed=task.checklist_items(),
            )
            done += 1

    def reject(self, page: Page) -> None:
        page = Page.objects.get(pk=page.pk).specific
        task = page.current_workflow_task_state.task.specific
        actor = next(u for u in self.by_role["department_head"] if task.refusal(page, u) is None)
        task_act(page=page, actor=actor, action="reject", comment=self.data["comments"]["reject"])
        self.result.rejected += 1

    # -- notices through the intake API
    def tokens(self) -> dict[str, str]:
        raw = {}
        for trade, name in self.data["tokens"].items():
            kinds = [k for k in NoticeKind.values if k.startswith(f"{trade}.")]
            _token, raw[trade] = notices.api_token_create(name=name, kinds=kinds, actor=self.admin)
        self.result.tokens = len(raw)
        return raw

    def push(self, client: Client, token: str, payload: dict[str, Any]) -> int:
        body = json.dumps(
            {k: v for k, v in payload.items() if v is not None}, default=_json, ensure_ascii=False
        )
        response = client.post(
            API_PATH, data=body, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
        )
        self.result.api_calls += 1
        if response.status_code not in (200, 201):
            raise DemoFailed(
                f"the intake API answered {response.status_code} for {payload['external_id']} "
                f"({payload['kind']}): {response.content.decode('utf-8', 'replace')[:1500]}"
            )
        return response.json()["id"]

    def attachment(self, payload: dict[str, Any]) -> list[dict[str, str]]:
        t = self.data["templates"]
        rows = [
            [
                i,
                t["bill_row"].format(project=payload["project_name"], i=i),
                t["bill_unit"],
                self.corpus.rng.randrange(1, 500),
            ]
            for i in range(1, 9)
        ]
        data = xlsx_bytes(t["bill_headers"], rows, title=t["bill_sheet"])
        return [{"filename": t["bill_file"], "content_base64": base64.b64encode(data).decode("ascii")}]

    def notices(self, tokens: dict[str, str]) -> None:
        plan = [(trade, story) for trade, story, n in STORIES for _ in range(n * self.scale)]
        self.corpus.rng.shuffle(plan)
        client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="127.0.0.1")
        # The per-token rate limit guards the API against an outside system; the demo's own
        # calls (a few hundred in a minute) are not limited. Nothing else is bypassed.
        with override_settings(GGZY_API_RATE_LIMIT=0):
            for index, (trade, story) in enumerate(plan):
                ids: dict[str, str] = {}
                for payload in self.corpus.project(trade, story):
                    if payload["kind"] == "procurement.change":
                        payload["changes"] = ids["procurement.tender"]
                    if payload["kind"] == "construction.tender" and index % 4 == 0:
                        payload["attachments"] = self.attachment(payload)
                    page_id = self.push(client, tokens[trade], payload)
                    ids[payload["kind"]] = payload["external_id"]
                    # The last two projects stay with their 科室负责人 (work on the dashboard).
                    self.walk(Page.objects.get(pk=page_id), steps=0 if index >= len(plan) - 2 else None)

    # -- articles drafted in the admin's way
    def article_body(self, path: str, title: str, drafter: User, n: int) -> str:
        words = self.data["articles"]
        topic = title.split("\uff08")[0]  # the title before its fullwidth bracket
        lines = words.get(f"paragraphs_{path.split('/')[0]}", words["paragraphs"])
        body = _paragraphs(line.format(topic=topic) for line in lines)
        if path.startswith("bszn/"):
            sections = words["guide"]["sections"]
            return "".join(f"<h3>{name}</h3><p>{text.format(title=title)}</p>" for name, text in sections)
        if path.startswith("zlxz/"):
            headers = words["download"]["headers"]
            data = xlsx_bytes(headers, [[i] + [""] * (len(headers) - 1) for i in range(1, 11)], title=topic)
            filename = f"{topic}.xlsx"
            validate_upload(io.BytesIO(data), name=filename)  # the upload gate's checks
            document = get_document_model()(
                title=topic, file=ContentFile(data, name=filename), uploaded_by_user=drafter
            )
            document._set_document_file_metadata()  # size and hash, as the upload form sets them
            document.save()
            self.result.documents += 1
            return _paragraphs([words["download"]["intro"]]) + (
                f'<p><a linktype="document" id="{document.pk}">{filename}</a></p>'
            )
        if path in PICTURE_COLUMNS:
            data = png_bytes(n)
            validate_upload(io.BytesIO(data), name=f"demo-{n}.png")
            image = get_image_model()(
                title=topic, file=ContentFile(data, name=f"demo-{n}.png"), uploaded_by_user=drafter
            )
            image._set_image_file_metadata()  # size and hash, as the upload form sets them
            image.save()
            self.result.images += 1
            return body + f'<embed alt="{topic}" embedtype="image" format="fullwidth" id="{image.pk}"/>'
        return body

    def articles(self) -> None:
        columns = {}
        for path in ARTICLE_PLAN:
            page = None
            for slug in path.split("/"):
                qs = ColumnPage.objects.filter(slug=slug)
                page = qs.child_of(page).get() if page is not None else qs.filter(depth=3).get()
            columns[path] = page
        plan = [
            (path, i)
            for path, per_unit in ARTICLE_PLAN.items()
            for i in range(max(1, round(per_unit * self.scale)))
        ]
        titles = self.data["articles"]["columns"]
        for n, (path, i) in enumerate(plan):
            column = columns[path]
            drafter = self.drafter_for(column, i)
            choices = titles[path]
            title = choices[i % len(choices)].format(
                year=self.today.year, n=i + 1, district=self.corpus.pick("districts")
            )
            if i >= len(choices) and "{n}" not in choices[i % len(choices)]:
                earlier = self.data["templates"]["earlier_year"]
                title = earlier.format(title=title, year=self.today.year - i // len(choices))
            article = ArticlePage(
                title=title,
                body=self.article_body(path, title, drafter, n),
                keywords=column.title,
                live=False,
                owner=drafter,
                source_department=drafter.department,
            )
            column.add_child(instance=article)
            article.save_revision(user=drafter)
            submit_for_review(page=article, actor=drafter)
            if n == len(plan) - 1:
                self.reject(article)  # back to its 信息员 with the head's comment
            elif n >= len(plan) - 3:
                self.walk(article, steps=1)  # waiting at the next step
            else:
                self.walk(article)

    # -- the site
    def build(self) -> None:
        out = io.StringIO()
        call_command("build_site", stdout=out)
        screens_publish()
        root = Path(settings.PUBLISH_ROOT)
        self.result.site_files = sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0

    def count(self) -> None:
        for intake in IntakeNotice.objects.select_related("page"):
            if intake.page.live:
                self.result.notices[intake.kind] += 1
        for article in ArticlePage.objects.live().select_related():
            self.result.articles[article.get_parent().title] += 1
        self.result.waiting = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count()


def demo_fill(
    *, scale: int = DEFAULT_SCALE, port: int = 8000, log: Callable[[str], None] = lambda _: None
) -> DemoResult:
    """Fill an empty state with the demo (see the module's docstring). Raises DemoRefused
    in production or on a database that holds anything but setup_center's own rows."""
    refuse_production()
    state = demo_state()
    if state == "demo":
        raise AlreadyFilled(
            "this state already holds the demo content; to fill it again, delete the demo state "
            "(rm -rf var/demo) and run `make demo`"
        )
    if state == "real":
        raise DemoRefused(
            "this database holds people, tokens or content that demo_fill did not make; it only "
            "fills a fresh state. Use `make demo` (its own state under var/demo, GGZY_VAR_DIR)."
        )
    if scale < 1:
        raise DemoRefused("--scale must be at least 1")
    started = time.perf_counter()
    # The chains' notification e-mails go to the demo staff's example.invalid addresses:
    # kept in memory and counted, neither printed (the console backend) nor sent.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        if not hasattr(mail, "outbox"):
            mail.outbox = []
        before = len(mail.outbox)
        result = _fill(scale=scale, port=port, log=log)
        result.mails = len(mail.outbox) - before
    result.seconds = time.perf_counter() - started
    return result


def _fill(*, scale: int, port: int, log: Callable[[str], None]) -> DemoResult:
    filler = Filler(scale=scale, data=load_demo_data(), port=port)
    log("people of every role…")
    password_file = filler.users()
    filler.identity()
    log("notices through the intake API and the trading chain…")
    filler.notices(filler.tokens())
    log("articles through their columns' chains…")
    filler.articles()
    # The screens last: until they exist, a publish has no screen files to rewrite.
    filler.screens()
    log("building the static site…")
    filler.build()
    filler.count()
    filler.result.password_file = password_file
    return filler.result
