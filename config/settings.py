"""ggzy settings: one module, read from the environment (12-factor).

GGZY_ENV selects safe defaults, never hidden behaviour:
- ``production`` (the default): SECRET_KEY and ALLOWED_HOSTS must be given,
  HTTPS-only cookies, HSTS, redirects to HTTPS.
- ``local``: what ``make run`` uses on a workstation or an embedded server;
  the secret key is generated into ``var/`` and plain HTTP on loopback works.
- ``test``: like local, for the test suite.
Every default can still be overridden by its own variable.
"""

import os
import re
import secrets
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


def _local_secret_key(name: str = "secret_key") -> str:
    """Generate once into var/ so that local sessions survive restarts."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (GGZY_ENV=production)")
    SECRET_KEY = _local_secret_key()

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
    "ggzy.sitebuild",
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

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ggzy.accounts.middleware.PasswordChangeRequiredMiddleware",
    "ggzy.publishing.middleware.LiveMediaGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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

# 密码、口令管理制度 二(一): office passwords >= 6 chars; the identity issue raises
# this per role. Django's common-password, similarity and numeric checks apply too.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_int("PASSWORD_MIN_LENGTH", 8) < 6:
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
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "zip", "rar", "wps", "ofd"]

# --------------------------------------------------------------------------- wagtail

WAGTAIL_SITE_NAME = env_str("GGZY_SITE_NAME", "焦作市公共资源交易中心")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_PASSWORD_RESET_ENABLED = False  # 密码、口令管理制度 二(二): resets go through the 系统管理员
WAGTAILUSERS_PASSWORD_REQUIRED = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_FINDERS = []  # no outbound calls to oEmbed providers from a closed network
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_COMMENTS_ENABLED = True
# 网站管理制度 第十一条: a completed chain publishes through ggzy's one road,
# which also writes the publication record.
WAGTAIL_FINISH_WORKFLOW_ACTION = "ggzy.publishing.finish.chain_finished"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True

# Government-site <meta> identity (政府网站发展指引): shown in every public page head.
GGZY_SITE_DOMAIN = env_str("GGZY_SITE_DOMAIN", "ggzy.jiaozuo.gov.cn")
GGZY_SITE_ID_CODE = env_str("GGZY_SITE_ID_CODE", "")
GGZY_PAGE_SIZE = env_int("GGZY_PAGE_SIZE", 20)
# 信息传递制度 (四): the weekly quota counts from this date (YYYY-MM-DD); empty =
# from the first submission ever made in ggzy.
GGZY_QUOTA_START = env_str("GGZY_QUOTA_START", "")
if GGZY_QUOTA_START and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", GGZY_QUOTA_START):
    raise ImproperlyConfigured(f"GGZY_QUOTA_START must be YYYY-MM-DD, got {GGZY_QUOTA_START!r}")
# When a working day ends, for step deadlines ("same working day" = by then).
GGZY_WORKDAY_END = env_str("GGZY_WORKDAY_END", "18:00")
if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", GGZY_WORKDAY_END):
    raise ImproperlyConfigured(f"GGZY_WORKDAY_END must be HH:MM, got {GGZY_WORKDAY_END!r}")

# --------------------------------------------------------------------------- static publishing

# 网络设备管理制度 第七条: the public site is plain files under PUBLISH_ROOT; the
# signed manifest and its HMAC key live outside it, so whoever can write the
# public files cannot forge the manifest (网络信息安全故障应急预案 第六条).
PUBLISH_ROOT = Path(env_str("PUBLISH_ROOT", str(VAR_DIR / "site")))
SITE_MANIFEST_PATH = Path(env_str("SITE_MANIFEST_PATH", str(VAR_DIR / "site-manifest.json")))
SITE_MANIFEST_KEY = env_str("SITE_MANIFEST_KEY")
if not SITE_MANIFEST_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SITE_MANIFEST_KEY must be set in production (GGZY_ENV=production)")
    SITE_MANIFEST_KEY = _local_secret_key("site_manifest_key")
if SITE_MANIFEST_PATH.resolve().is_relative_to(PUBLISH_ROOT.resolve()):
    raise ImproperlyConfigured("SITE_MANIFEST_PATH must be outside PUBLISH_ROOT")

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
    # 网络信息安全故障应急预案 第六条: tampered pages are found and restored within minutes.
    "ggzy.sitebuild.tasks.verify_and_restore_site": env_str("SCHEDULE_VERIFY_SITE", "*/5 * * * *"),
}

# --------------------------------------------------------------------------- email, logging

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ggzy@localhost")

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
