# ruff: noqa: S311 -- a benchmark: seeded generated text, SQL from constants
"""Search benchmark (not a test): ``python scripts/search_bench.py --items 20000``.

On a throw-away SQLite database (a temporary GGZY_VAR_DIR) it loads the center,
inserts ``--items`` published articles with realistic Chinese trading text by a
bulk SQL path, rebuilds the search index (pages/s) and times a mix of searches
(p50/p95 in ms): a common word, three words in any order, a project code, a rare
word, each with and without column/kind/date filters, newest and relevance.
Run from the checkout root (it puts the root on sys.path).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

DISTRICTS = [
    "焦作市",
    "山阳区",
    "解放区",
    "中站区",
    "马村区",
    "修武县",
    "博爱县",
    "武陟县",
    "温县",
    "沁阳市",
    "孟州市",
]
SUBJECTS = [
    "道路改造工程",
    "学校教学楼建设",
    "污水处理厂扩建",
    "医院医疗设备采购",
    "办公家具采购",
    "老旧小区改造",
    "农田水利建设",
    "供热管网改造",
    "公园绿化提升",
    "信息化平台建设",
    "国有土地使用权出让",
    "公司股权转让",
]
KINDS = [
    "招标公告",
    "中标候选人公示",
    "中标结果公示",
    "政府采购公告",
    "变更公告",
    "结果公告",
    "成交公示",
    "出让公告",
]
SENTENCES = [
    "本项目已由{d}发展和改革委员会批准建设，项目业主为{d}某局，建设资金来自财政资金，项目已具备招标条件。",
    "现对该项目的施工进行公开招标，欢迎具备相应资质的投标人参加投标。",
    "投标人须具备建设行政主管部门核发的市政公用工程施工总承包三级及以上资质，并在人员、设备、资金等方面具有相应的施工能力。",
    "凡有意参加投标者，请于规定时间内登录焦作市公共资源交易中心网站下载招标文件。",
    "投标文件递交的截止时间为开标当日上午九时，逾期送达的投标文件将被拒收。",
    "本次招标公告同时在河南省电子招标投标公共服务平台和焦作市公共资源交易中心网站上发布。",
    "评标委员会依据招标文件规定的评标办法对投标文件进行了评审，现将中标候选人公示如下。",
    "公示期内投标人或者其他利害关系人对评标结果有异议的，应当以书面形式向招标人提出。",
    "采购人：{d}某单位；采购代理机构：某招标代理有限公司；联系电话：0391-8888888。",
]
QUERIES = [
    "招标公告",
    "焦作 道路 改造",
    "JZ2026-GC-0042",
    "股权转让",
    "污水处理",
    "中标候选人",
    "医疗设备 采购",
]


def make_text(rng: random.Random, code: str) -> tuple[str, str]:
    district, subject, kind = rng.choice(DISTRICTS), rng.choice(SUBJECTS), rng.choice(KINDS)
    title = f"{district}{subject}{kind}"
    body = "".join(
        f"<p>{s.format(d=district)}</p>" for s in rng.sample(SENTENCES, k=rng.randint(4, len(SENTENCES)))
    )
    return title, f"<p>项目编号：{code}，项目名称：{district}{subject}。</p>{body}"


def bulk_articles(count: int, seed: int = 8) -> None:
    """Published ArticlePages spread over the trading sub-columns, through the
    project's bulk path (ggzy.notices.bulk), one column at a time."""
    from django.utils import timezone

    from ggzy.notices.bulk import bulk_add_live
    from ggzy.portal.models import ArticlePage, ColumnPage

    rng = random.Random(seed)
    columns = list(ColumnPage.objects.filter(depth=4, url_path__contains="/jyxx/"))
    now = timezone.now()

    def articles(offset: int):
        for n in range(offset, count, len(columns)):
            title, body = make_text(rng, f"JZ2026-GC-{n:04d}")
            yield ArticlePage(
                title=title, slug=f"b{n}", body=body, first_published_at=now - timezone.timedelta(minutes=n)
            )

    for offset, column in enumerate(columns):
        bulk_add_live(column, articles(offset))


def time_searches(*, rounds: int = 5) -> dict[str, float]:
    """p50/p95 (ms) of search_site over QUERIES × filter/order variants."""
    from django.utils import timezone

    from ggzy.portal.models import ColumnPage
    from ggzy.search.choices import ARTICLE, Order
    from ggzy.search.selectors import search_site

    trading = ColumnPage.objects.filter(depth=3, slug="jyxx").first()
    today = timezone.localdate()
    variants = [
        {},
        {"order": Order.NEWEST},
        {"column_id": trading.pk if trading else None},
        {"kind": ARTICLE, "date_from": today - timezone.timedelta(days=30), "date_to": today},
        {"page": 5},
    ]
    search_site(query="预热")
    timings = []
    for _ in range(rounds):
        for query in QUERIES:
            for extra in variants:
                started = time.perf_counter()
                search_site(query=query, **extra)
                timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "searches": len(timings),
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "max_ms": timings[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="ggzy-search-bench-")
    os.environ.update(GGZY_VAR_DIR=tmp, GGZY_ENV="local", DATABASE_URL=f"sqlite:///{tmp}/db.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.core.management import call_command

    from ggzy.center.services import load_center_data, setup_center
    from ggzy.search.services import rebuild_search_index

    call_command("migrate", verbosity=0)
    setup_center(data=load_center_data(), create_admin=False)
    started = time.perf_counter()
    bulk_articles(args.items)
    print(f"bulk insert: {args.items} articles in {time.perf_counter() - started:.1f} s")
    result = rebuild_search_index(workers=args.workers)
    figures = time_searches()
    print(f"rebuild: {result.entries} pages, {result.seconds:.1f} s, {result.per_second:.0f} pages/s")
    print(
        f"search at {result.entries} pages: {figures['searches']} searches, p50 {figures['p50_ms']:.1f} ms, "
        f"p95 {figures['p95_ms']:.1f} ms, max {figures['max_ms']:.1f} ms"
    )


if __name__ == "__main__":
    main()
