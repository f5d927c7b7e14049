"""The access-test base for every admin screen (NetBox's utilities/testing/views.py
is the model): each screen is tried as anonymous (sent to the login), as every role
without the permission (refused), as every role with it (served) and as one of
those from outside the admin network (403), plus the constrained cases (another
department, an auditor with a grant). The tables of expectations live in
``ggzy/center/tests/test_admin_access.py``; this module holds what any app's
tests need to build and run such a table, and the per-role crawl of the admin
menu (网络安全管理办法 五: 三权分立, least privilege).

Everything goes through HTTP with real users in the center's real roles."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from wagtail.admin.viewsets import viewsets as admin_viewsets

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user

ROLES: tuple[str, ...] = tuple(RoleKey)
ADMIN_PREFIX = "admin/"
LOGIN_PATH = "/admin/login/"


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Screen:
    """One admin URL (by its name) and the roles that may open it.

    ``args`` name objects of the test's world (``world[key].pk``, or the value
    itself when it is an int), in the URL's argument order. ``method`` "post"
    is for views that only accept POST: the body is empty, so a served request
    changes nothing (a form error or a refused action), and only the refusal
    of the roles without the permission is what counts. ``hidden``: the app
    answers a refused role with 404 on purpose (it does not confirm the object
    exists). ``served`` is the status the allowed roles get."""

    name: str
    allowed: frozenset[str] = frozenset()
    args: tuple[str, ...] = ()
    method: str = "get"
    hidden: bool = False
    served: tuple[int, ...] = (200,)
    note: str = ""

    def url(self, world: Mapping[str, object]) -> str:
        return reverse(self.name, args=[_arg(world[key]) for key in self.args])


@dataclass(frozen=True)
class Constrained:
    """A screen tried by one particular principal of the world (an auditor with
    an approved grant, the head of another department, …) with the answer
    it must get: ``served`` or refused (``served=False``)."""

    name: str
    principal: str
    served: bool
    args: tuple[str, ...] = ()
    method: str = "get"
    hidden: bool = False
    note: str = ""

    def url(self, world: Mapping[str, object]) -> str:
        return reverse(self.name, args=[_arg(world[key]) for key in self.args])


def _arg(value) -> object:
    return value if isinstance(value, int | str) else value.pk


def screens(*entries: Screen, **shared) -> list[Screen]:
    return [Screen(**{**entry.__dict__, **shared}) for entry in entries]


def roles(*keys: str) -> frozenset[str]:
    return frozenset(keys)


# --------------------------------------------------------------------------- the answers


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlsplit(response.url).path in (
        LOGIN_PATH,
        reverse("wagtailadmin_login"),
    )


def is_refusal(response, *, hidden: bool = False) -> bool:
    """403, or Wagtail's way of refusing an admin view (a redirect to the
    dashboard with "没有权限" in the messages); 404 where the app hides on purpose."""
    if response.status_code == 403:
        return True
    if response.status_code == 302 and urlsplit(response.url).path == reverse("wagtailadmin_home"):
        return True
    return hidden and response.status_code == 404


class _Failed:
    """A request whose view raised: reported as a server error with its exception."""

    def __init__(self, exc: Exception):
        self.status_code = 500
        self.url = ""
        self.error = f"{type(exc).__name__}: {exc}"

    def get(self, header, default=""):
        return default


# An address outside ADMIN_ALLOWED_NETWORKS (TEST-NET-2): 网络安全管理办法 七(二).
OUTSIDE_ADDRESS = "198.51.100.1"


def request(client: Client, method: str, url: str, **extra):
    """The response, or a 500 stand-in carrying the exception the view raised
    (the test client re-raises what a server would turn into a 500)."""
    try:
        return client.post(url, **extra) if method == "post" else client.get(url, **extra)
    except Exception as exc:
        return _Failed(exc)


def _status(response) -> str:
    error = getattr(response, "error", "")
    return f"{response.status_code} {error}".strip()


@dataclass
class Principals:
    """Logged-in clients, one per role (and any extra principal by name), made once."""

    clients: dict[str, Client] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)

    def add(self, key: str, user) -> Client:
        client = Client()
        login_as(client, user)
        self.clients[key] = client
        self.users[key] = user
        return client


def role_principals(department: str = "xinxi", **departments: str) -> Principals:
    """One user per role (in ``department``, or ``departments[role]``), logged
    in with both factors."""
    principals = Principals()
    for role in ROLES:
        principals.add(role, make_user(role, department=departments.get(role, department)))
    return principals


def check_screen(screen: Screen, world: Mapping[str, object], principals: Principals) -> list[str]:
    """Anonymous, an allowed role from outside the admin network, and every
    role against one screen; returns the mismatches."""
    url = screen.url(world)
    problems = []
    anonymous = request(Client(), screen.method, url)
    if not is_login_redirect(anonymous):
        problems.append(f"{screen.name} {url} anonymous: {_status(anonymous)} (expected the login page)")
    # Even a role that may open it is refused from outside the admin network.
    insider = min(screen.allowed) if screen.allowed else RoleKey.SYSTEM_ADMIN
    outside = request(principals.clients[insider], screen.method, url, REMOTE_ADDR=OUTSIDE_ADDRESS)
    if outside.status_code != 403:
        problems.append(f"{screen.name} {url} {insider} from outside: {_status(outside)} (expected 403)")
    for role in ROLES:
        response = request(principals.clients[role], screen.method, url)
        if role in screen.allowed:
            if response.status_code not in screen.served:
                problems.append(f"{screen.name} {url} {role}: {_status(response)} (expected {screen.served})")
        elif not is_refusal(response, hidden=screen.hidden):
            problems.append(f"{screen.name} {url} {role}: {_status(response)} (expected a refusal)")
    return problems


def check_constrained(case: Constrained, world: Mapping[str, object], principals: Principals) -> list[str]:
    url = case.url(world)
    response = request(principals.clients[case.principal], case.method, url)
    ok = response.status_code == 200 if case.served else is_refusal(response, hidden=case.hidden)
    if ok:
        return []
    expected = "200" if case.served else "a refusal"
    return [f"{case.name} {url} {case.principal}: {_status(response)} (expected {expected})"]


# --------------------------------------------------------------------------- the URLs


@dataclass(frozen=True)
class AdminPattern:
    route: str
    name: str | None
    view: str  # dotted path of the view function or class

    @property
    def defined_in_ggzy(self) -> bool:
        return self.view.startswith("ggzy.")


def _view_path(pattern: URLPattern) -> str:
    callback = pattern.callback
    while isinstance(callback, functools.partial):
        callback = callback.func
    view = getattr(callback, "view_class", None) or callback
    return f"{view.__module__}.{view.__qualname__}"


def _walk(patterns, route: str = "", namespace: str = "") -> Iterator[AdminPattern]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, route + str(pattern.pattern), inner)
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield AdminPattern(route + str(pattern.pattern), name, _view_path(pattern))


def admin_patterns() -> list[AdminPattern]:
    """Every URL pattern the project serves under /admin/, names expanded with
    their namespaces."""
    return [p for p in _walk(get_resolver().url_patterns) if p.route.startswith(ADMIN_PREFIX)]


def ggzy_viewset_namespaces() -> set[str]:
    """The URL namespaces of the Wagtail viewsets that ggzy's apps register
    (their views are Wagtail's generic ones, the screens are ours)."""
    get_resolver().url_patterns  # noqa: B018 - the registry fills while the admin URLs load
    return {
        viewset.url_namespace
        for viewset in admin_viewsets.viewsets
        if type(viewset).__module__.startswith("ggzy.")
    }


def ggzy_admin_patterns() -> list[AdminPattern]:
    """The admin URLs that are ggzy's: a view defined in ggzy, or a view of a
    viewset that a ggzy app registers."""
    namespaces = ggzy_viewset_namespaces()
    return [
        p for p in admin_patterns() if p.defined_in_ggzy or (p.name and p.name.split(":")[0] in namespaces)
    ]


# --------------------------------------------------------------------------- the crawl

_SIDEBAR = re.compile(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', re.DOTALL)


def _urls_in(value) -> Iterator[str]:
    if isinstance(value, Mapping):
        url = value.get("url")
        if isinstance(url, str):
            yield url
        for inner in value.values():
            yield from _urls_in(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _urls_in(inner)


def admin_menu_urls(client: Client) -> list[str]:
    """The links of the admin sidebar (main menu, its sub-menus, the account
    menu) as the dashboard renders them for the client's user: Wagtail sends
    them to the sidebar as JSON props. Logout is a POST action, not a link."""
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200, response.status_code
    match = _SIDEBAR.search(response.content.decode())
    assert match, "the dashboard has no sidebar props"
    props = json.loads(match.group(1))
    logout = reverse("wagtailadmin_logout")
    urls = []
    for url in _urls_in(props):
        path = urlsplit(url).path
        if path.startswith("/admin/") and path != logout and url not in urls:
            urls.append(url)
    return urls


_LINK = re.compile(r'href="(/admin/[^"#]*)"')
# Links a crawl must not follow with GET: they end the session or answer with a file.
CRAWL_SKIP = re.compile(r"^/admin/(logout/|.*export|.*\.pdf|.*/pdf/)")


def _screen_of(url: str) -> str:
    """The URL name a link resolves to (a listing's hundred edit links are one screen)."""
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return url


def crawl(client: Client, start: Iterable[str], *, depth: int = 1) -> dict[str, str]:
    """GET each start URL and, ``depth`` levels down, the /admin/ links found on
    the pages served — one link per screen (URL name), so that a listing of
    many rows costs one request per kind of link; returns {url: status, and
    the exception of a 500}."""
    seen: dict[str, str] = {}
    screens = set()
    frontier = [url for url in start if not CRAWL_SKIP.match(url)]
    for level in range(depth + 1):
        found = []
        for url in frontier:
            if url in seen:
                continue
            response = request(client, "get", url)
            seen[url] = _status(response)
            screens.add(_screen_of(url))
            if level == depth or response.status_code != 200:
                continue
            if "text/html" not in response.get("Content-Type", ""):
                continue
            for link in _LINK.findall(response.content.decode()):
                link = link.replace("&amp;", "&")
                screen = _screen_of(link)
                if link not in seen and screen not in screens and not CRAWL_SKIP.match(link):
                    screens.add(screen)
                    found.append(link)
        frontier = found
    return seen


def server_errors(statuses: Mapping[str, str]) -> list[str]:
    return [f"{url}: {status}" for url, status in statuses.items() if status.startswith("5")]


WorldBuilder = Callable[[], dict[str, object]]


# --------------------------------------------------------------------------- page actions

# The URL names of Wagtail's page admin (and of the admin API's page endpoints)
# whose routes act on one page: issue 14 item 1's sweep reads them from the
# resolver, so a page action a Wagtail upgrade adds is tried without a change here.
PAGE_ACTION_PREFIXES = ("wagtailadmin_pages:", "wagtailadmin_explore", "wagtailadmin_api:pages:")
PAGE_ACTION_OTHER = ("wagtailadmin_workflows:remove",)
_ROUTE_ARG = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def route_args(route: str) -> list[str]:
    """The keyword arguments of a route (path converters and regex groups), in order."""
    return [a or b for a, b in _ROUTE_ARG.findall(route)]


@dataclass(frozen=True)
class PageAction:
    name: str
    url: str
    method: str
    data: Mapping[str, object] = field(default_factory=dict)
    content_type: str | None = None

    def send(self, client: Client, **extra):
        if self.method == "get":
            return request(client, "get", self.url, **extra)
        if self.content_type:
            return request(
                client, "post", self.url, data=json.dumps(self.data), content_type=self.content_type, **extra
            )
        return request(client, "post", self.url, data=self.data, **extra)


def page_actions(*, page, column, destination) -> list[PageAction]:
    """Every page-admin URL that takes a page, filled in for ``page`` (under
    review in ``column``) with ``destination`` as the target of moves and
    copies, each as GET and as POST. The POST body carries what the forms
    of copy/move/lock would need, so a refusal is what stops them."""
    page = page.specific
    state = page.current_workflow_state
    task_state = page.current_workflow_task_state
    values = {
        "page_id": page.pk,
        "page_to_move_id": page.pk,
        "pk": page.pk,
        "page_pk": page.pk,
        "destination_id": destination.pk,
        "revision_id": page.latest_revision_id,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "task_state_id": task_state.pk if task_state else 0,
        "task_id": task_state.task_id if task_state else 0,
        "workflow_state_id": state.pk if state else 0,
        "workflow_pk": state.workflow_id if state else 0,
        "content_type_app_name": page._meta.app_label,
        "content_type_model_name": page._meta.model_name,
    }
    form = {
        "new_title": "复制的页面",
        "new_slug": "copied-page",
        "new_parent_page": destination.pk,
        "copy_subpages": "",
        "publish_copies": "",
        "title": "改过的标题",
        "slug": page.slug,
        "comment": "",
    }
    api_body = {"destination_page_id": destination.pk, "revision_id": page.latest_revision_id}
    actions: list[PageAction] = []
    for pattern in admin_patterns():
        name = pattern.name or ""
        if not (name.startswith(PAGE_ACTION_PREFIXES) or name in PAGE_ACTION_OTHER):
            continue
        args = route_args(pattern.route)
        if not ({"page_id", "page_to_move_id", "pk", "page_pk", "parent_page_id"} & set(args)):
            continue
        if name == "wagtailadmin_pages:revisions_compare":
            # A regex route: reverse by keyword.
            kwargs = {a: values[a] for a in args}
        else:
            kwargs = {}
            for arg in args:
                if arg == "parent_page_id":
                    # Adding is tried under the page's column; exploring, on the page itself.
                    kwargs[arg] = page.pk if name.startswith("wagtailadmin_explore") else column.pk
                elif arg != "action_name":
                    kwargs[arg] = values[arg]
        if "action_name" in args:
            if name.startswith("wagtailadmin_api:"):
                from wagtail.admin.api.views import PagesAdminAPIViewSet

                names = list(PagesAdminAPIViewSet.actions)
            else:
                names = ["approve", "reject"]
        else:
            names = [None]
        for action_name in names:
            if action_name is not None:
                kwargs["action_name"] = action_name
            url = reverse(name, kwargs=kwargs)
            actions.append(PageAction(name, url, "get"))
            if name.startswith("wagtailadmin_api:"):
                actions.append(PageAction(name, url, "post", api_body, "application/json"))
            else:
                actions.append(PageAction(name, url, "post", form))
    return actions


def is_page_refusal(response, method: str) -> bool:
    """A page action refused: 403, Wagtail's redirect to the dashboard, 404 (the
    admin API answers a page outside the user's reach with 404), or 405 for a
    GET of a POST-only action (nothing shown, nothing done)."""
    if is_refusal(response, hidden=True):
        return True
    return method == "get" and response.status_code == 405


# Listings that name pages: what they show a user must not include another
# department's draft (issue 14 item 1: the explorer, search, chooser, admin API).
PAGE_LISTINGS = (
    ("wagtailadmin_pages:search", {"q": "{query}"}),
    ("wagtailadmin_pages:search_results", {"q": "{query}"}),
    ("wagtailadmin_choose_page_search", {"q": "{query}"}),
    ("wagtailadmin_api:pages:listing", {"search": "{query}"}),
    ("wagtailadmin_api:pages:listing", {"child_of": "{column}", "for_explorer": "1"}),
    ("wagtailadmin_reports:workflow", {}),
    ("wagtailadmin_reports:workflow_tasks", {}),
    ("wagtailadmin_reports:locked_pages", {}),
    ("wagtailadmin_reports:aging_pages", {}),
)


def page_listing_urls(*, title: str, column) -> list[str]:
    """The listings, searching for a part of ``title`` (a search page echoes its
    query: the whole title in the answer is then the page itself)."""
    from urllib.parse import urlencode

    urls = [
        reverse("wagtailadmin_explore", args=[column.pk]),
        reverse("wagtailadmin_choose_page_child", args=[column.pk]),
    ]
    for name, params in PAGE_LISTINGS:
        filled = {k: v.format(query=title[-6:], column=column.pk) for k, v in params.items()}
        urls.append(reverse(name) + ("?" + urlencode(filled) if filled else ""))
    return urls
