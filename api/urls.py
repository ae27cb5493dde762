from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from .views import audit, auth, checks, contracts, oversight, personnel, register

router = DefaultRouter()
router.register("service-categories", register.ServiceCategoryViewSet)
router.register("authorities", register.AuthorityViewSet, basename="authority")
router.register("companies", register.CompanyViewSet, basename="company")
router.register("licences", register.LicenceViewSet, basename="licence")
router.register("codes", register.StandardViewSet, basename="code")
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

app_name = "api"
urlpatterns = [
    path("v1/auth/token/", auth.TokenView.as_view(), name="token"),
    path("v1/status/", checks.StatusLookupView.as_view(), name="status"),
    path("v1/audit/verify/", audit.AuditVerifyView.as_view(), name="audit-verify"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
