def site_identity(request):
    """The site's identification (设置 › 网站标识) for every public page's <head>
    (SiteName/SiteDomain/SiteIDCode) and footer."""
    from .selectors import site_identity as identity_of_site

    identity = identity_of_site()
    return {
        "identity": identity,
        "site_name": identity.site_name,
        "site_domain": identity.domain,
        "site_id_code": identity.site_code,
    }
