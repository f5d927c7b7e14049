from django.urls import path

from .views import project_view

urlpatterns = [
    path("xm/<path:code>/", project_view, name="notices_project"),
]
