from django.contrib import admin
from django.urls import include, path

from registry.web.urls import auth_urlpatterns

handler404 = "api.errors.not_found"
handler500 = "api.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    *auth_urlpatterns,
    path("", include("registry.web.urls")),
]
