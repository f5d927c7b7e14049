"""Content-Security-Policy (issue 14 item 13): one strict policy for the public
site, one for the Wagtail admin that its screens work under.

Our own middleware rather than the django-csp package: django-csp applies one
site-wide policy and changes it per view with decorators, while the admin's
views are Wagtail's own (not ours to decorate); the choice here is by path.
The static public site gets the same public policy from the serving layer
(ggzy.sitebuild.serving) and from deploy/nginx-locations.conf.
"""

from django.conf import settings


def public_policy() -> str:
    return settings.CSP_PUBLIC


def admin_policy() -> str:
    return settings.CSP_ADMIN


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith(self.admin_prefix)
            response["Content-Security-Policy"] = admin_policy() if admin else public_policy()
        return response
