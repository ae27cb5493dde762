from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .permissions import EVERYONE, SIGNED_IN
from .views import audit, auth, checks, contracts, me, oversight, personnel, register, root


class Router(DefaultRouter):
    """The API root lists the resources (and `endpoints`) the caller's role may use."""

    def get_api_root_view(self, api_urls=None):
        return root.ApiRootView.as_view(router=self, endpoints=ENDPOINTS)


router = Router()
router.register("service-categories", register.ServiceCategoryViewSet)
router.register("authorities", register.AuthorityViewSet, basename="authority")
router.register("companies", register.CompanyViewSet, basename="company")
router.register("licences", register.LicenceViewSet, basename="licence")
router.register("codes", register.ConductStandardViewSet, basename="code")
router.register("adherences", register.AdherenceViewSet, basename="adherence")
router.register("certifications", register.CertificationViewSet, basename="certification")
router.register("missions", contracts.MissionViewSet, basename="mission")
router.register("clients", contracts.ClientViewSet, basename="client")
router.register("contracts", contracts.ContractViewSet, basename="contract")
router.register("coordination", contracts.CoordinationViewSet, basename="coordination")
router.register("incidents", oversight.IncidentViewSet, basename="incident")
router.register("sanctions", oversight.SanctionViewSet, basename="sanction")
router.register("findings", oversight.FindingViewSet, basename="finding")
router.register("personnel", personnel.PersonViewSet, basename="person")
router.register("vetting", personnel.VettingViewSet, basename="vetting")
router.register("hiring-checks", checks.HiringCheckViewSet, basename="hiringcheck")
router.register("rules", checks.RuleViewSet, basename="rule")
router.register("audit", audit.AuditEntryViewSet, basename="audit")
router.register("auth/tokens", auth.OwnTokenViewSet, basename="apitoken")

# The API's endpoints outside the router, as the root lists them: (path under v1/, view, URL
# name, roles per method for a view that does not declare read_roles and write_roles).
OTHER_ENDPOINTS = (
    # TokenView.get_permissions: anyone may sign in (POST), the signed-in sign out (DELETE).
    ("auth/token/", auth.TokenView, "token", {"POST": EVERYONE, "DELETE": SIGNED_IN}),
    ("status/", checks.StatusLookupView, "status", None),
    ("audit/verify/", audit.AuditVerifyView, "audit-verify", None),
    ("audit/head/", audit.AuditHeadView, "audit-head", None),
    ("me/", me.MeView, "me", None),
)
ENDPOINTS = tuple(
    (route.rstrip("/"), f"api:{name}", view, roles) for route, view, name, roles in OTHER_ENDPOINTS
)


def _as_view(view):
    """A view that lists resources (root.ResourceIndex: /me/) is given the router."""
    if issubclass(view, root.ResourceIndex):
        return view.as_view(router=router, endpoints=ENDPOINTS)
    return view.as_view()


app_name = "api"
urlpatterns = [
    *[path(f"v1/{route}", _as_view(view), name=name) for route, view, name, _ in OTHER_ENDPOINTS],
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Split: the init script is served from ?script, so the page needs no inline script (CSP).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
]
