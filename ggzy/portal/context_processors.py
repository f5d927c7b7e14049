from django.conf import settings


def site_identity(request):
    """Government-site identity for the public <head> (SiteName/SiteDomain/SiteIDCode)."""
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_domain": settings.GGZY_SITE_DOMAIN,
        "site_id_code": settings.GGZY_SITE_ID_CODE,
    }
