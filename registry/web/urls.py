from django.contrib.auth import views as auth_views
from django.urls import path

from registry.twofactor import otp_exempt

from .views import account, contracts, dashboard, hiring, history, public, regulator, twofactor

app_name = "web"

urlpatterns = [
    path("", public.search, name="search"),
    path("companies/<int:pk>/", public.company_detail, name="company"),
    path("companies/options/", hiring.company_options, name="company_options"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("hiring-check/", hiring.hiring_check, name="hiring_check"),
    path("hiring-checks/<int:pk>/", hiring.hiring_result, name="hiring_result"),
    path("contracts/", contracts.contract_list, name="contracts"),
    path("contracts/new/", contracts.contract_new, name="contract_new"),
    path("contracts/export.csv", contracts.contract_csv, name="contracts_csv"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract"),
    path("contracts/<int:pk>/edit/", contracts.contract_edit, name="contract_edit"),
    path("queue/", regulator.queue, name="queue"),
    path("licences/<int:pk>/action/", regulator.licence_action, name="licence_action"),
    path("companies/<int:company_pk>/incidents/new/", regulator.incident_new, name="incident_new"),
    path("incidents/<int:pk>/edit/", regulator.incident_edit, name="incident_edit"),
    path("companies/<int:company_pk>/sanctions/new/", regulator.sanction_new, name="sanction_new"),
    path("findings/<int:pk>/waive/", regulator.finding_waive, name="finding_waive"),
    path("history/<str:kind>/<int:pk>/", history.object_history, name="history"),
    path("account/tokens/", account.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", account.token_revoke, name="token_revoke"),
    path("account/two-factor/", account.two_factor, name="two_factor"),
    path("account/two-factor/replace/", account.two_factor_replace, name="two_factor_replace"),
]

# Outside the "web" namespace: Django's auth settings and views refer to them by these names.
auth_urlpatterns = [
    # The password step; regulators, auditors and admins go on to a second factor (twofactor).
    path("login/", otp_exempt(twofactor.LoginView.as_view()), name="login"),
    path("login/verify/", twofactor.verify, name="otp_verify"),
    path("login/enrol/", twofactor.enrol, name="otp_enrol"),
    path("login/enrol/qr.svg", twofactor.enrol_qr, name="otp_qr"),
    path("logout/", otp_exempt(auth_views.LogoutView.as_view()), name="logout"),
]
