"""ggzy settings: one module, read from the environment (12-factor).

GGZY_ENV selects safe defaults, never hidden behaviour:
- ``production`` (the default): SECRET_KEY and ALLOWED_HOSTS must be given,
  HTTPS-only cookies, HSTS, redirects to HTTPS.
- ``local``: what ``make run`` uses on a workstation or an embedded server;
  the secret key is generated into ``var/`` and plain HTTP on loopback works.
- ``test``: like local, for the test suite.
Every default can still be overridden by its own variable.
"""

import base64
import ipaddress
import json
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


GGZY_ENV = env_str("GGZY_ENV", "production")
if GGZY_ENV not in {"production", "local", "test"}:
    raise ImproperlyConfigured(f"GGZY_ENV must be production, local or test, got {GGZY_ENV!r}")
PRODUCTION = GGZY_ENV == "production"

# Local state (database, media, logs, keys) lives under var/, never in git.
VAR_DIR = Path(env_str("GGZY_VAR_DIR", str(BASE_DIR / "var")))


def _local_key(name: str, nbytes: int = 64) -> str:
    """A key generated once into var/ (mode 0600) for local and test use only;
    production gives every key through the environment."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (GGZY_ENV=production)")
    SECRET_KEY = _local_key("secret_key")

DEBUG = env_bool("DEBUG", False)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (comma-separated)")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --------------------------------------------------------------------------- apps

INSTALLED_APPS = [
    "ggzy.core",
    "ggzy.accounts",
    "ggzy.portal",
    "ggzy.publishing",
    "ggzy.audit",
    "ggzy.departures",
    "ggzy.notices",
    "ggzy.sitebuild",
    "ggzy.suspensions",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    # Our subclass of wagtail.users swaps in ggzy's user forms (三权分立, departments).
    "ggzy.accounts.apps.GgzyWagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
INSTALLED_APPS += ["ggzy.screening"]
INSTALLED_APPS += ["ggzy.ingest"]
INSTALLED_APPS += ["ggzy.search"]
INSTALLED_APPS += ["ggzy.compliance"]
INSTALLED_APPS += ["ggzy.incidents"]
INSTALLED_APPS += ["ggzy.credentials"]
INSTALLED_APPS += ["ggzy.vendors", "ggzy.assets"]
INSTALLED_APPS += ["ggzy.facility"]
INSTALLED_APPS += ["ggzy.vulns"]
INSTALLED_APPS += ["ggzy.network"]
INSTALLED_APPS += ["ggzy.devicelogs"]
INSTALLED_APPS += ["ggzy.backup"]
INSTALLED_APPS += ["ggzy.screens"]
INSTALLED_APPS += ["ggzy.center"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ggzy.core.csp.ContentSecurityPolicyMiddleware",
    "ggzy.sitebuild.maintenance.MaintenanceMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware (issue 20): the admin and the site are Chinese whatever the
    # browser asks for; negotiating "en" only mixed Wagtail's English into Chinese screens.
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ggzy.accounts.middleware.PasswordChangeRequiredMiddleware",
    "ggzy.publishing.middleware.LiveMediaGuardMiddleware",
    "ggzy.publishing.middleware.PageReachMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "ggzy.audit.context.AuditContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ggzy.portal.context_processors.site_identity",
            ],
        },
    },
]

# --------------------------------------------------------------------------- data

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        # Tests (live server threads) must not hold connections past their teardown.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if GGZY_ENV == "test" else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions: concurrent readers while gunicorn workers write.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --------------------------------------------------------------------------- auth

# 密码、口令管理制度 二(一): office passwords >= 6 chars (shipped default 8, the
# default of the PasswordPolicy the 安全管理员 edits); publishing roles and
# administrators >= 12 with 2 / 3 character classes (ggzy.accounts.passwords).
# Django's common-password, similarity and numeric checks apply too.
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 8)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "ggzy.accounts.passwords.RolePasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # 二(三): the last 5 passwords are not reused.
    {"NAME": "ggzy.accounts.passwords.PasswordHistoryValidator"},
]
if PASSWORD_MIN_LENGTH < 6:
    raise ImproperlyConfigured("PASSWORD_MIN_LENGTH may not be below 6 (密码、口令管理制度 二(一))")

LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)

# --------------------------------------------------------------------------- HTTPS

HTTPS = env_bool("GGZY_HTTPS", PRODUCTION)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (issue 14 item 13; ggzy.core.csp). The public site: only its
# own files, no inline script or style (deploy/nginx-locations.conf sends the same).
CSP_PUBLIC = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# The admin: Wagtail's screens set style attributes and draw images from data:/blob:
# URLs (image previews, icons); scripts still only from this site.
CSP_ADMIN = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
if env_bool("USE_X_FORWARDED_PROTO", False):
    # Only behind a proxy that sets this header itself (nginx in the scale-out set-up).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --------------------------------------------------------------------------- i18n

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --------------------------------------------------------------------------- files

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Embedded mode: the app serves uploaded media itself; behind nginx set this false.
GGZY_SERVE_MEDIA = env_bool("GGZY_SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if GGZY_ENV == "test"
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("IMAGE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Documents always go through Wagtail's serve view and its before_serve_document
# check (issue 14 item 2), never a direct /media/documents/ URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "zip", "rar", "wps", "ofd"]

# --------------------------------------------------------------------------- wagtail

WAGTAIL_SITE_NAME = env_str("GGZY_SITE_NAME", "焦作市公共资源交易中心")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
# One center, one time zone: no time-zone list (of English zone names) in the account settings.
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
# Wagtail's login form leaves the password field unlabelled ("Password", untranslatable).
WAGTAILADMIN_USER_LOGIN_FORM = "ggzy.accounts.forms.LoginForm"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # 密码、口令管理制度 二(二): resets go through the 系统管理员
WAGTAILUSERS_PASSWORD_REQUIRED = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Public search (ggzy.search): "database" = jieba tokens in SQLite FTS5 / PostgreSQL
# GIN; a search server for scale = Wagtail's backend of that name (docs/search.md).
SEARCH_BACKENDS_ALLOWED = {
    "database",
    "elasticsearch7",
    "elasticsearch8",
    "elasticsearch9",
    "opensearch2",
    "opensearch3",
}
SEARCH_BACKEND = env_str("SEARCH_BACKEND", "database")
if SEARCH_BACKEND not in SEARCH_BACKENDS_ALLOWED:
    raise ImproperlyConfigured(
        f"SEARCH_BACKEND must be one of {sorted(SEARCH_BACKENDS_ALLOWED)}, got {SEARCH_BACKEND!r}"
    )
if SEARCH_BACKEND != "database":
    if not env_str("SEARCH_URL"):
        raise ImproperlyConfigured("SEARCH_BACKEND needs SEARCH_URL (e.g. http://127.0.0.1:9200)")
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": f"wagtail.search.backends.{SEARCH_BACKEND}",
            "URLS": env_list("SEARCH_URL", []),
            "INDEX": env_str("SEARCH_INDEX", "ggzy"),
            "TIMEOUT": env_int("SEARCH_TIMEOUT", 5),
            "OPTIONS": {},
            "INDEX_SETTINGS": {},
        }
    }
# Longest text (characters) of one page that is segmented and indexed.
SEARCH_MAX_TEXT = env_int("SEARCH_MAX_TEXT", 20000)
# A search reads at most this many (the newest) matches: total shown as "1000+",
# relevance ranks among them; bounds the cost of a word found in most pages.
SEARCH_MAX_RESULTS = env_int("SEARCH_MAX_RESULTS", 1000)
# Processes that segment text during a full rebuild (0 = one per core).
SEARCH_INDEX_WORKERS = env_int("SEARCH_INDEX_WORKERS", 0)
WAGTAILEMBEDS_FINDERS = []  # no outbound calls to oEmbed providers from a closed network
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Nothing leaves the network (issue 14 item 6): no avatars from gravatar.com
# (staff e-mail hashes sent outside; a broken image on the closed network).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_COMMENTS_ENABLED = True
# 网站管理制度 第十一条: a completed chain publishes through ggzy's one road,
# which also writes the publication record.
WAGTAIL_FINISH_WORKFLOW_ACTION = "ggzy.publishing.finish.chain_finished"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True

# Government-site <meta> identity (政府网站发展指引): shown in every public page head.
# The department code of 信息科 (center data): its head approves on-site visits
# (技术服务外包、维护管理制度 九) and reviews upgrade filings (十).
IT_DEPARTMENT_CODE = env_str("GGZY_IT_DEPARTMENT", "xinxi")
# The department code of 交易监督科: it manages the monitoring room and its head approves
# viewings of recordings (监控管理制度 一、四).
SUPERVISION_DEPARTMENT_CODE = env_str("GGZY_SUPERVISION_DEPARTMENT", "jiandu")
# 网络机房管理制度 一(三)1: room readings (15-minute averages after 30 days) are kept this long (≥ 1 year).
FACILITY_READINGS_KEEP_DAYS = max(366, env_int("FACILITY_READINGS_KEEP_DAYS", 400))
# 网络安全管理办法 四(二): the bound (seconds) on each step of a configuration pull over SSH.
NETWORK_SSH_TIMEOUT = max(1, env_int("NETWORK_SSH_TIMEOUT", 20))
# 四(二): at most this many SSH sessions at once when every device is pulled.
NETWORK_PULL_WORKERS = max(1, env_int("NETWORK_PULL_WORKERS", 8))
# 五(一): the log host every device must send syslog to (the configuration audit's
# syslog rule); empty: any logging host passes the rule.
NETWORK_SYSLOG_COLLECTOR = env_str("NETWORK_SYSLOG_COLLECTOR", "")
GGZY_SITE_DOMAIN = env_str("GGZY_SITE_DOMAIN", "ggzy.jiaozuo.gov.cn")
GGZY_SITE_ID_CODE = env_str("GGZY_SITE_ID_CODE", "")
GGZY_PAGE_SIZE = env_int("GGZY_PAGE_SIZE", 20)
# 信息传递制度 (四): the weekly quota counts from this date (YYYY-MM-DD); empty =
# from the first submission ever made in ggzy.
GGZY_QUOTA_START = env_str("GGZY_QUOTA_START", "")
if GGZY_QUOTA_START and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", GGZY_QUOTA_START):
    raise ImproperlyConfigured(f"GGZY_QUOTA_START must be YYYY-MM-DD, got {GGZY_QUOTA_START!r}")
# Intake API (ggzy.notices): calls per token per minute; 0 = unlimited.
GGZY_API_RATE_LIMIT = env_int("GGZY_API_RATE_LIMIT", 60)
# When a working day ends, for step deadlines ("same working day" = by then).
GGZY_WORKDAY_END = env_str("GGZY_WORKDAY_END", "18:00")
if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", GGZY_WORKDAY_END):
    raise ImproperlyConfigured(f"GGZY_WORKDAY_END must be HH:MM, got {GGZY_WORKDAY_END!r}")

# --------------------------------------------------------------------------- static publishing

# 网络设备管理制度 第七条: the public site is plain files under PUBLISH_ROOT; the
# signed manifest and its HMAC key live outside it, so whoever can write the
# public files cannot forge the manifest (网络信息安全故障应急预案 第六条).
PUBLISH_ROOT = Path(env_str("PUBLISH_ROOT", str(VAR_DIR / "site")))
SITE_MANIFEST_PATH = Path(env_str("SITE_MANIFEST_PATH", str(VAR_DIR / "site-manifest.sqlite3")))
SITE_MANIFEST_KEY = env_str("SITE_MANIFEST_KEY")
if not SITE_MANIFEST_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SITE_MANIFEST_KEY must be set in production (GGZY_ENV=production)")
    SITE_MANIFEST_KEY = _local_key("site_manifest_key")
if SITE_MANIFEST_PATH.resolve().is_relative_to(PUBLISH_ROOT.resolve()):
    raise ImproperlyConfigured("SITE_MANIFEST_PATH must be outside PUBLISH_ROOT")
# 政府网站检查指标 站点无法访问: the public site probed every minute from the server
# (ggzy.sitebuild.uptime). Empty: no probing (make run sets it to its own address).
UPTIME_BASE_URL = env_str("UPTIME_BASE_URL", "")
UPTIME_TIMEOUT_SECONDS = env_int("UPTIME_TIMEOUT_SECONDS", 10)
# External links of the published site, nightly (政府网站检查指标 不可用链接; ggzy.sitebuild.links):
# hosts checked at once, seconds between two requests to one host, per-request timeout, URLs a run.
LINKCHECK_EXTERNAL_CONCURRENCY = env_int("LINKCHECK_EXTERNAL_CONCURRENCY", 8)
LINKCHECK_EXTERNAL_HOST_DELAY = env_float("LINKCHECK_EXTERNAL_HOST_DELAY", 1.0)
LINKCHECK_EXTERNAL_TIMEOUT = env_float("LINKCHECK_EXTERNAL_TIMEOUT", 10.0)
LINKCHECK_EXTERNAL_LIMIT = env_int("LINKCHECK_EXTERNAL_LIMIT", 5000)
UPTIME_FAILURES_TO_ALERT = max(1, env_int("UPTIME_FAILURES_TO_ALERT", 3))
UPTIME_TLS_WARN_DAYS = env_int("UPTIME_TLS_WARN_DAYS", 30)
UPTIME_CA_FILE = env_str("UPTIME_CA_FILE", "")  # a private CA for an internal certificate
# 应急预案 第六条(一): while maintenance.html exists here the public site answers 503 with it
# (ggzy.sitebuild.maintenance; nginx tests the same path). Outside PUBLISH_ROOT.
SITE_MAINTENANCE_DIR = Path(env_str("SITE_MAINTENANCE_DIR", str(VAR_DIR / "maintenance")))
if SITE_MAINTENANCE_DIR.resolve().is_relative_to(PUBLISH_ROOT.resolve()):
    raise ImproperlyConfigured("SITE_MAINTENANCE_DIR must be outside PUBLISH_ROOT")
# Embedded mode (make run): config/wsgi.py answers public GETs from PUBLISH_ROOT
# before Django (ggzy.sitebuild.serving); behind nginx it may be switched off.
GGZY_SERVE_PUBLISHED = env_bool("GGZY_SERVE_PUBLISHED", True)

# 网络安全管理办法 二(十一): suspension notices go up this many working days
# before the suspension starts (ggzy.suspensions; docs/suspensions.md).
SUSPENSION_NOTICE_WORKING_DAYS = env_int("SUSPENSION_NOTICE_WORKING_DAYS", 3)
if SUSPENSION_NOTICE_WORKING_DAYS < 0:
    raise ImproperlyConfigured("SUSPENSION_NOTICE_WORKING_DAYS must be >= 0")

# --------------------------------------------------------------------------- incident response

# 网络信息安全故障应急预案 第八条 (ggzy.incidents; docs/incidents.md): the outbound
# channel to the SMS/IM gateway (empty = e-mail only), its JSON payload template
# ({title}, {incident}, {severity}, {phones}, {ack_url}, … placeholders) and extra
# headers (JSON object), and the minutes after which an unacknowledged
# notification is re-sent and escalated to the 应急领导小组.
INCIDENT_WEBHOOK_URL = env_str("INCIDENT_WEBHOOK_URL", "")
INCIDENT_WEBHOOK_PAYLOAD = env_str("INCIDENT_WEBHOOK_PAYLOAD", "")
INCIDENT_WEBHOOK_HEADERS = json.loads(env_str("INCIDENT_WEBHOOK_HEADERS", "") or "{}")
INCIDENT_WEBHOOK_TIMEOUT = env_int("INCIDENT_WEBHOOK_TIMEOUT", 5)
INCIDENT_ACK_MINUTES = env_int("INCIDENT_ACK_MINUTES", 10)
INCIDENT_MAX_SENDS = env_int("INCIDENT_MAX_SENDS", 3)
if INCIDENT_ACK_MINUTES < 1:
    raise ImproperlyConfigured("INCIDENT_ACK_MINUTES must be >= 1")
# Lockouts from one network range (IPv4 /24, IPv6 /64) within the window raise an alert.
INCIDENT_LOCKOUT_RANGE_THRESHOLD = env_int("INCIDENT_LOCKOUT_RANGE_THRESHOLD", 3)
INCIDENT_LOCKOUT_RANGE_MINUTES = env_int("INCIDENT_LOCKOUT_RANGE_MINUTES", 60)

# --------------------------------------------------------------------------- tasks

# Background and periodic work runs on django-tasks. Embedded default: the ORM
# queue (`manage.py db_worker`); tests run tasks inline; scale-out: an RQ/Redis
# backend. The schedule below is run by `manage.py run_scheduler` (APScheduler
# cron triggers that enqueue the tasks); every task is also a management command
# for cron or systemd timers.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if GGZY_ENV == "test"
            else "django_tasks_db.DatabaseBackend",
        )
    }
}
# task path → crontab (minute hour day month day-of-week), in TIME_ZONE.
GGZY_SCHEDULE = {
    # 信息传递制度: overdue approval steps are reminded each working morning.
    "ggzy.publishing.tasks.remind_overdue_steps": env_str("SCHEDULE_REMIND_OVERDUE", "30 8 * * 1-5"),
    # 网站管理制度 附表 3.4: a working day that ended with fewer than 4 行业信息.
    "ggzy.publishing.tasks.alert_industry_quota": env_str("SCHEDULE_INDUSTRY_QUOTA", "15 0 * * *"),
    # 网络安全管理办法 三(二): personal accounts unused for 90 days are disabled.
    "ggzy.accounts.tasks.disable_dormant_accounts_task": env_str("SCHEDULE_DORMANT_ACCOUNTS", "0 2 * * *"),
    # 网络安全管理办法 五: signed checkpoints, monthly archive (backup), retention purge.
    "ggzy.audit.tasks.audit_checkpoint_task": env_str("SCHEDULE_AUDIT_CHECKPOINT", "5 * * * *"),
    "ggzy.audit.tasks.audit_monthly_archive_task": env_str("SCHEDULE_AUDIT_ARCHIVE", "30 1 1 * *"),
    "ggzy.audit.tasks.audit_purge_task": env_str("SCHEDULE_AUDIT_PURGE", "30 2 * * *"),
    # 网络信息安全故障应急预案 第六条: tampered pages are found and restored within minutes.
    "ggzy.sitebuild.tasks.verify_and_restore_site": env_str("SCHEDULE_VERIFY_SITE", "*/5 * * * *"),
    "ggzy.sitebuild.tasks.check_links": env_str("SCHEDULE_CHECK_LINKS", "40 2 * * *"),
    # The home page's 开标日程 follows the date (issue 20).
    "ggzy.sitebuild.tasks.rerender_home": env_str("SCHEDULE_HOME", "1 0 * * *"),
    "ggzy.sitebuild.tasks.check_external_links": env_str("SCHEDULE_CHECK_EXTERNAL_LINKS", "10 3 * * *"),
    "ggzy.sitebuild.tasks.probe_uptime": env_str("SCHEDULE_UPTIME", "* * * * *"),
    # 政府网站检查指标: last month's website report, stored on the 1st (issue 20).
    "ggzy.sitebuild.tasks.store_website_report": env_str("SCHEDULE_WEBSITE_REPORT", "10 1 1 * *"),
    # 网络安全管理办法 二(十一): suspension notices appear and leave the static home page on time.
    "ggzy.suspensions.tasks.refresh_suspension_notices": env_str("SCHEDULE_SUSPENSION_NOTICES", "* * * * *"),
    # compliance: overdue obligations (issue 21 §2) and the daily clause snapshot (§3).
    "ggzy.compliance.tasks.remind_overdue_occurrences": env_str("SCHEDULE_COMPLIANCE_REMIND", "40 8 * * *"),
    "ggzy.compliance.tasks.clause_snapshot": env_str("SCHEDULE_COMPLIANCE_SNAPSHOT", "50 23 * * *"),
    # 应急预案 第八条: the report clock and unacknowledged notifications, every minute.
    "ggzy.incidents.tasks.incident_clock": env_str("SCHEDULE_INCIDENT_CLOCK", "* * * * *"),
    # 密码、口令管理制度 一(一): unconfirmed credential changes expire (their sealed value is dropped).
    "ggzy.credentials.tasks.expire_pending_changes": env_str("SCHEDULE_CREDENTIALS_EXPIRE", "*/10 * * * *"),
    # 网络机房管理制度 一(三)1、2: the rooms' sensors and UPSes are read every minute.
    "ggzy.facility.tasks.poll_sensors": env_str("SCHEDULE_FACILITY_POLL", "* * * * *"),
    "ggzy.facility.tasks.downsample_readings": env_str("SCHEDULE_FACILITY_DOWNSAMPLE", "20 3 * * *"),
    "ggzy.facility.tasks.rollup_readings": env_str("SCHEDULE_FACILITY_ROLLUP", "*/15 * * * *"),
    # 网络安全管理办法 四(二): device configurations are backed up daily.
    "ggzy.network.tasks.pull_configs": env_str("SCHEDULE_NETWORK_PULL", "40 2 * * *"),
    # 网络安全管理办法 二(八): wireless exceptions ending within a week or ended raise an alert.
    "ggzy.network.tasks.wireless_expiry": env_str("SCHEDULE_NETWORK_WIRELESS", "10 8 * * *"),
}

# --------------------------------------------------------------------------- the hall's screens

# 网络设备管理制度 第三、九条 (ggzy.screens; docs/screens.md): each screen's page and its
# data are static files under SCREENS_ROOT, served at /screens/ (nginx: alias; make run:
# config/wsgi.py), written from published notices only. A screen's fetch of its data is
# its heartbeat: one line per fetch in SCREENS_BEAT_LOG (nginx: log_format ggzy_screens
# '$msec $uri $status'; make run: the embedded layer writes the same line), read every
# minute by ggzy.screens.tasks.screens_tick, which also rewrites the files at the day
# boundary and repairs any that were changed on disk.
SCREENS_ROOT = Path(env_str("SCREENS_ROOT", str(VAR_DIR / "screens")))
SCREENS_BEAT_LOG = Path(env_str("SCREENS_BEAT_LOG", str(VAR_DIR / "log" / "screens-access.log")))
if SCREENS_ROOT.resolve().is_relative_to(PUBLISH_ROOT.resolve()):
    raise ImproperlyConfigured("SCREENS_ROOT must be outside PUBLISH_ROOT (the tamper check owns it)")
GGZY_SCHEDULE["ggzy.screens.tasks.screens_tick"] = env_str("SCHEDULE_SCREENS", "* * * * *")

# --------------------------------------------------------------------------- screening

# Uploads screened before publication (网站政务信息发布的管理规定 一(二)(九)).
SCREENING_MAX_UPLOAD_BYTES = env_int("SCREENING_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# Office files are zip archives: refuse bombs before any XML is parsed.
SCREENING_MAX_UNCOMPRESSED_BYTES = env_int("SCREENING_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
SCREENING_MAX_COMPRESSION_RATIO = env_int("SCREENING_MAX_COMPRESSION_RATIO", 100)
SCREENING_MAX_ZIP_ENTRIES = env_int("SCREENING_MAX_ZIP_ENTRIES", 5000)
# Kinds (by content) accepted as Wagtail documents: what screening can read.
SCREENING_DOCUMENT_KINDS = env_list("SCREENING_DOCUMENT_KINDS", ["docx", "xlsx", "pdf"])
WAGTAILDOCS_DOCUMENT_FORM_BASE = "ggzy.ingest.upload_forms.ScreenedDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "ggzy.ingest.upload_forms.ScreenedImageForm"

# --------------------------------------------------------------------------- audit

# 网络安全管理办法 五(四): logs are kept more than 3 months; the Cybersecurity Law
# (art. 21) asks for 6, hence the default.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180)
if AUDIT_RETENTION_DAYS < 90:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS may not be below 90 (网络安全管理办法 五(四): 3 months)")
AUDIT_HASH = env_str("AUDIT_HASH", "sha256")
if AUDIT_HASH not in {"sha256", "sm3"}:
    raise ImproperlyConfigured(f"AUDIT_HASH must be sha256 or sm3, got {AUDIT_HASH!r}")
AUDIT_ARCHIVE_DIR = Path(env_str("AUDIT_ARCHIVE_DIR", str(VAR_DIR / "audit-archive")))
# A header naming the client IP, only behind a proxy that sets it (e.g. HTTP_X_REAL_IP).
AUDIT_CLIENT_IP_HEADER = env_str("AUDIT_CLIENT_IP_HEADER")


# The checkpoint key lives outside the database (and outside any backup of it).
AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY")
if not AUDIT_HMAC_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY must be set in production (signs audit checkpoints)")
    AUDIT_HMAC_KEY = _local_key("audit_hmac_key", 48)
# Earlier keys, comma-separated: still accepted when verifying old checkpoints and archives.
AUDIT_HMAC_RETIRED_KEYS = env_list("AUDIT_HMAC_RETIRED_KEYS", [])
# Each checkpoint's digest also goes off the box to this syslog receiver, host:port over
# UDP (issue 14 item 9; the network module's collector). Unset: not sent.
AUDIT_SYSLOG_ADDRESS = env_str("AUDIT_SYSLOG_ADDRESS")
if AUDIT_SYSLOG_ADDRESS and not re.fullmatch(r"\[?[\w.:-]+\]?:\d{1,5}", AUDIT_SYSLOG_ADDRESS):
    raise ImproperlyConfigured(f"AUDIT_SYSLOG_ADDRESS must be host:port, got {AUDIT_SYSLOG_ADDRESS!r}")

# --------------------------------------------------------------------------- credential vault

# 密码、口令管理制度 一 (ggzy.credentials, docs/credentials.md): server and device
# passwords are sealed with a random data key per secret, wrapped by this master
# key (32 bytes, URL-safe base64). It lives outside the database and its backups.
CREDENTIALS_MASTER_KEY = env_str("CREDENTIALS_MASTER_KEY")
if not CREDENTIALS_MASTER_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "CREDENTIALS_MASTER_KEY must be set in production (it wraps the credential vault's data keys; "
            "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    CREDENTIALS_MASTER_KEY = _local_key("credentials_master_key", 32)
# Earlier master keys, comma-separated: still unwrap data keys until
# `manage.py credentials_rewrap` has re-wrapped them with the current key.
CREDENTIALS_RETIRED_MASTER_KEYS = env_list("CREDENTIALS_RETIRED_MASTER_KEYS", [])
for _name, _value in [("CREDENTIALS_MASTER_KEY", CREDENTIALS_MASTER_KEY)] + [
    ("CREDENTIALS_RETIRED_MASTER_KEYS", v) for v in CREDENTIALS_RETIRED_MASTER_KEYS
]:
    try:
        _decoded = base64.urlsafe_b64decode(_value + "=" * (-len(_value) % 4))
    except ValueError:
        _decoded = b""
    if len(_decoded) != 32:
        # Never echo the value: it is a key.
        raise ImproperlyConfigured(f"{_name} must be 32 bytes in URL-safe base64 (43 or 44 characters)")
# aes-256-gcm (default) or sm4-gcm (国密 deployments); both authenticated.
# 应急预案 第四条: ClamAV scans every upload (ggzy.ingest.malware, docs/vulns.md).
# CLAMD_ADDRESS: tcp://127.0.0.1:3310 or unix:///run/clamav/clamd.ctl. MALWARE_SCAN:
# required (clamd down → uploads refused), warn (let through, logged) or off; the
# default is required in production and wherever CLAMD_ADDRESS is set.
CLAMD_ADDRESS = env_str("CLAMD_ADDRESS", "")
CLAMD_TIMEOUT_SECONDS = env_int("CLAMD_TIMEOUT_SECONDS", 30)
MALWARE_SCAN = env_str("MALWARE_SCAN", "required" if (GGZY_ENV == "production" or CLAMD_ADDRESS) else "off")
if MALWARE_SCAN not in {"required", "warn", "off"}:
    raise ImproperlyConfigured(f"MALWARE_SCAN must be required, warn or off, got {MALWARE_SCAN!r}")

CREDENTIALS_CIPHER = env_str("CREDENTIALS_CIPHER", "aes-256-gcm")
if CREDENTIALS_CIPHER not in {"aes-256-gcm", "sm4-gcm"}:
    raise ImproperlyConfigured(
        f"CREDENTIALS_CIPHER must be aes-256-gcm or sm4-gcm, got {CREDENTIALS_CIPHER!r}"
    )
# 一(一): the second person confirms a started change within this many minutes.
CREDENTIALS_CONFIRM_MINUTES = env_int("CREDENTIALS_CONFIRM_MINUTES", 5)
# A revealed secret is on screen this many seconds; an approved reveal must be
# opened within CREDENTIALS_REVEAL_WINDOW_MINUTES.
CREDENTIALS_REVEAL_SECONDS = env_int("CREDENTIALS_REVEAL_SECONDS", 60)
CREDENTIALS_REVEAL_WINDOW_MINUTES = env_int("CREDENTIALS_REVEAL_WINDOW_MINUTES", 10)
if not (1 <= CREDENTIALS_CONFIRM_MINUTES <= 30):
    raise ImproperlyConfigured("CREDENTIALS_CONFIRM_MINUTES must be between 1 and 30 (两人同时在场)")

# --------------------------------------------------------------------------- email, logging

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Issue 20: e-mails come from the center's platform by name.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f'"{WAGTAIL_SITE_NAME}" <ggzy@localhost>')

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Task runs and page actions are recorded in the database; keep the console quiet.
        "django_tasks": {"level": env_str("TASKS_LOG_LEVEL", "WARNING")},
        "wagtail": {"level": env_str("WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}

# --------------------------------------------------------------------------- identity

# Issue 4 (ggzy.accounts): lockout, sessions, admin networks, two-factor login.
# Kept in one block so that other branches' settings edits do not collide.
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# AxesStandaloneBackend first: it refuses locked-out credentials before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Right after authentication, in this order: OTP state, session timeouts, the
# two-factor gate, then (already listed) the forced password change.
_after_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
MIDDLEWARE[_after_auth:_after_auth] = [
    "django_otp.middleware.OTPMiddleware",
    "ggzy.accounts.middleware.SessionPolicyMiddleware",
    "ggzy.accounts.middleware.TwoFactorRequiredMiddleware",
]
# The admin network check needs nothing but the request: refuse before sessions.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "ggzy.accounts.middleware.AdminNetworkMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "ggzy.accounts.middleware.SessionExpiredNoticeMiddleware",
)
# Malware refused at the upload gate is recorded once the request's transaction ended.
MIDDLEWARE.insert(
    MIDDLEWARE.index("ggzy.audit.context.AuditContextMiddleware") + 1,
    "ggzy.ingest.malware.MalwareRecordMiddleware",
)
# AxesMiddleware turns a lockout into the Chinese lockout page; it goes last.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]

# 等保三级 会话管理: idle timeout (shorter for administrators) and an absolute
# lifetime; sessions are ended on password change (ggzy.accounts.services).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_IDLE_ADMIN_MINUTES = env_int("SESSION_IDLE_ADMIN_MINUTES", 15)
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_AGE = min(SESSION_COOKIE_AGE, SESSION_ABSOLUTE_HOURS * 3600)
CSRF_COOKIE_SAMESITE = "Lax"

# 网络安全管理办法 三 / 等保三级 登录失败处理: 5 failures lock the account and the
# client address for 30 minutes; the 系统管理员 unlocks (unlock_user).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False  # no django.contrib.admin; the admin page is ggzy's
AXES_CLIENT_IP_CALLABLE = "ggzy.accounts.network.client_ip"
AXES_USERNAME_CALLABLE = "ggzy.accounts.lockout.normalized_username"
AXES_LOCKOUT_CALLABLE = "ggzy.accounts.lockout.lockout_response"
# A fixed 30 minutes: tries during the lockout neither count nor extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False  # ggzy.security logs the events without secrets
LOGGING["loggers"]["axes"] = {"level": "WARNING"}

# 网络安全管理办法 七(二): the admin (and later the API) only from these CIDR ranges;
# empty means loopback only. Behind nginx, the client address is read from
# TRUSTED_PROXY_HEADER only when the request comes from TRUSTED_PROXY_NETWORKS.
ADMIN_ALLOWED_NETWORKS = env_list("ADMIN_ALLOWED_NETWORKS", [])
TRUSTED_PROXY_NETWORKS = env_list("TRUSTED_PROXY_NETWORKS", [])
TRUSTED_PROXY_HEADER = env_str("TRUSTED_PROXY_HEADER")  # e.g. HTTP_X_FORWARDED_FOR
for _cidr in ADMIN_ALLOWED_NETWORKS + TRUSTED_PROXY_NETWORKS:
    try:
        ipaddress.ip_network(_cidr, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"ADMIN_ALLOWED_NETWORKS / TRUSTED_PROXY_NETWORKS: {exc}") from exc
if TRUSTED_PROXY_NETWORKS and not TRUSTED_PROXY_HEADER:
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_NETWORKS needs TRUSTED_PROXY_HEADER (e.g. HTTP_X_FORWARDED_FOR)"
    )

# 网络安全管理办法 三(二): accounts unused this long are disabled (disable_dormant_accounts).
DORMANT_ACCOUNT_DAYS = env_int("DORMANT_ACCOUNT_DAYS", 90)

# Own password changes go through /admin/password/change/ (history, sessions,
# events); Wagtail's account-page password panel would bypass that.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False

# Two-factor login (TOTP) for administrators and publishing roles; the issuer
# names the center in the authenticator app.
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME

# --------------------------------------------------------------------------- backup

# 应急预案 第十二条 (ggzy.backup, docs/backup.md): restic snapshots of the database,
# media, the published site with its manifest, the audit archives and the keys
# (wrapped with a key derived from BACKUP_PASSWORD). Any restic repository
# (local path, sftp:, s3:, rest:).
BACKUP_REPOSITORY = env_str("BACKUP_REPOSITORY", str(VAR_DIR / "backups" / "restic"))
BACKUP_PASSWORD = env_str("BACKUP_PASSWORD")
if not BACKUP_PASSWORD:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "BACKUP_PASSWORD must be set in production "
            "(it encrypts the restic repository and the wrapped keys)"
        )
    BACKUP_PASSWORD = _local_key("backup_password", 32)
BACKUP_RESTIC = env_str("BACKUP_RESTIC", "restic")
# Where a backup assembles the database copy, the site copy and the manifest (removed afterwards).
BACKUP_STAGING_DIR = Path(env_str("BACKUP_STAGING_DIR", str(VAR_DIR / "backups" / "staging")))
BACKUP_CACHE_DIR = Path(env_str("BACKUP_CACHE_DIR", str(VAR_DIR / "backups" / "cache")))
# Retention (restic forget --prune): daily / weekly / monthly snapshots kept.
BACKUP_KEEP_DAILY = env_int("BACKUP_KEEP_DAILY", 14)
BACKUP_KEEP_WEEKLY = env_int("BACKUP_KEEP_WEEKLY", 8)
BACKUP_KEEP_MONTHLY = env_int("BACKUP_KEEP_MONTHLY", 24)
# restic check reads this share of the pack files each run (a different subset each time).
BACKUP_CHECK_SUBSET = env_str("BACKUP_CHECK_SUBSET", "5%")
# No good backup for this long: the live check fails and the drill raises an alert.
BACKUP_MAX_AGE_HOURS = env_int("BACKUP_MAX_AGE_HOURS", 26)
# The restore drill restores into a scratch directory here (removed afterwards).
BACKUP_DRILL_DIR = Path(env_str("BACKUP_DRILL_DIR", str(VAR_DIR / "backups" / "drill")))
# On PostgreSQL the drill restores into this (empty) scratch database.
BACKUP_DRILL_DATABASE_URL = env_str("BACKUP_DRILL_DATABASE_URL", "")
GGZY_SCHEDULE.update(
    {
        "ggzy.backup.tasks.backup_task": env_str("SCHEDULE_BACKUP", "30 0 * * *"),
        "ggzy.backup.tasks.backup_maintenance_task": env_str("SCHEDULE_BACKUP_MAINTENANCE", "30 4 * * 0"),
        "ggzy.backup.tasks.restore_drill_task": env_str("SCHEDULE_RESTORE_DRILL", "0 5 1 * *"),
    }
)

# --------------------------------------------------------------------------- device logs

# 网络安全管理办法 五: network and security devices send syslog to rsyslog
# (deploy/rsyslog-devicelogs.conf), which writes one file per device and day here;
# ggzy indexes the files, archives each closed day and purges past retention.
DEVICELOG_DIR = Path(env_str("DEVICELOG_DIR", str(VAR_DIR / "devicelogs" / "incoming")))
DEVICELOG_ARCHIVE_DIR = Path(env_str("DEVICELOG_ARCHIVE_DIR", str(VAR_DIR / "devicelogs" / "archive")))
# 五(四): at least 3 months; ggzy keeps 6 months (Cybersecurity Law art. 21). Below 90 days
# the system check devicelogs.E001 refuses to start.
DEVICELOG_RETENTION_DAYS = env_int("DEVICELOG_RETENTION_DAYS", 183)
# The collector's port (UDP and TCP), for the rsyslog config's environment and the docs.
DEVICELOG_PORT = env_int("DEVICELOG_PORT", 514)
# A key device silent for this long fails the live check "logs arriving".
DEVICELOG_SILENCE_HOURS = env_int("DEVICELOG_SILENCE_HOURS", 24)
# Alert rules: this many failed logins on one device within the window raise an alert.
DEVICELOG_FAILED_LOGIN_THRESHOLD = env_int("DEVICELOG_FAILED_LOGIN_THRESHOLD", 5)
DEVICELOG_FAILED_LOGIN_WINDOW_MINUTES = env_int("DEVICELOG_FAILED_LOGIN_WINDOW_MINUTES", 10)
# A config-change message needs a change record of the device planned within this many hours.
DEVICELOG_CHANGE_WINDOW_HOURS = env_int("DEVICELOG_CHANGE_WINDOW_HOURS", 24)
GGZY_SCHEDULE.update(
    {
        "ggzy.devicelogs.tasks.index_device_logs": env_str("SCHEDULE_DEVICELOG_INDEX", "* * * * *"),
        "ggzy.devicelogs.tasks.archive_device_logs": env_str("SCHEDULE_DEVICELOG_ARCHIVE", "20 0 * * *"),
        "ggzy.devicelogs.tasks.purge_device_logs": env_str("SCHEDULE_DEVICELOG_PURGE", "50 2 * * *"),
    }
)
