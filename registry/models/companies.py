from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length

from registry.choices import Standing
from registry.names import normalise_name, skeleton
from registry.validators import validate_currency, validate_lei

from .authorities import LicensingAuthority
from .base import CleanTextMixin, Country, ServiceCategory, TimeStampedModel


class CompanyQuerySet(models.QuerySet):
    def search(self, text: str):
        """Match legal name, trading names, registration number or LEI (case-insensitive)."""
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(legal_name__icontains=text)
            | Q(aliases__name__icontains=text)
            | Q(registration_number__iexact=text)
            | Q(lei__iexact=text)
            | Q(licences__number__iexact=text)
        ).distinct()


class Company(TimeStampedModel):
    """A private military or security company as registered with one licensing authority."""

    legal_name = models.CharField(max_length=200, db_index=True)
    home_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="companies")
    registering_authority = models.ForeignKey(
        LicensingAuthority, on_delete=models.PROTECT, related_name="registered_companies"
    )
    registration_number = models.CharField(max_length=60)
    lei = models.CharField(
        "LEI",
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_lei],
        help_text="Legal Entity Identifier (ISO 17442), if the company has one.",
    )
    address = models.TextField(blank=True)
    website = models.URLField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
        help_text="The parent company in a corporate group.",
    )
    services = models.ManyToManyField(ServiceCategory, blank=True, related_name="companies")

    insurer = models.CharField(max_length=200, blank=True)
    insurance_cover = models.DecimalField(
        "liability cover", max_digits=16, decimal_places=2, null=True, blank=True
    )
    insurance_currency = models.CharField(
        max_length=3, blank=True, validators=[validate_currency], help_text="ISO 4217"
    )
    insurance_valid_until = models.DateField(null=True, blank=True)

    standing = models.CharField(
        max_length=12,
        choices=Standing.choices,
        default=Standing.NOT_CLEARED,
        db_index=True,
        editable=False,
        help_text="Cached result of company_standing(), kept fresh by refresh_standing().",
    )
    standing_since = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the cached standing took its current value (empty until first computed).",
    )
    standing_reasons = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="The reasons of the cached standing, unredacted: [{code, severity, message}].",
    )
    standing_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The day the cached standing and reasons were computed for; a read for that"
        " day uses them, a read for another day computes the standing afresh.",
    )

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name", "id"]
        verbose_name_plural = "companies"
        constraints = [
            models.UniqueConstraint(
                fields=["registering_authority", "registration_number"],
                name="company_unique_registration_per_authority",
                violation_error_message="This authority already registered a company under that number.",
            ),
            models.CheckConstraint(
                condition=Q(insurance_cover__isnull=True) | Q(insurance_cover__gte=0),
                name="company_insurance_cover_not_negative",
                violation_error_message="Insurance cover cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(insurance_cover__isnull=True) | ~Q(insurance_currency=""),
                name="company_insurance_cover_has_currency",
                violation_error_message="An insurance cover amount needs its currency.",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("id")),
                name="company_not_own_parent",
                violation_error_message="A company cannot be its own parent.",
            ),
        ]

    def __str__(self):
        return self.legal_name

    # Set by a writer who saw the look-alike warning and confirms the name (registry.names).
    confirm_similar_name = False
    # The name as loaded from the database (from_db); absent on a new instance.
    _loaded_name: str | None

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_name = instance.__dict__.get("legal_name")
        return instance

    def clean(self):
        super().clean()
        self.legal_name = normalise_name(self.legal_name, "legal_name")
        if self.legal_name != getattr(self, "_loaded_name", None):  # new, or renamed
            check_similar(self.legal_name, "legal_name", self.pk, self.confirm_similar_name)
        if self.parent_id and self.pk:
            seen, node = {self.pk}, self.parent
            while node is not None:
                if node.pk in seen:
                    raise ValidationError({"parent": "This would make the corporate group a loop."})
                seen.add(node.pk)
                node = node.parent

    def insurance_in_force(self, on) -> bool:
        return (
            bool(self.insurer)
            and self.insurance_valid_until is not None
            and (self.insurance_valid_until >= on)
        )


class CompanyAlias(CleanTextMixin, models.Model):
    """Another name the company trades or has traded under."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "trading name"
        constraints = [
            models.UniqueConstraint(
                fields=["company", "name"],
                name="alias_unique_per_company",
                violation_error_message="The company already has this trading name.",
            )
        ]

    confirm_similar_name = False
    # The name as loaded from the database (from_db); absent on a new instance.
    _loaded_name: str | None

    def __str__(self):
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_name = instance.__dict__.get("name")
        return instance

    def clean(self):
        super().clean()
        self.name = normalise_name(self.name, "name")
        if self.name != getattr(self, "_loaded_name", None):  # new, or renamed
            check_similar(self.name, "name", self.company_id, self.confirm_similar_name)


def similar_names(name: str, exclude_company=None) -> list[str]:
    """Other companies' legal or trading names that look like `name` without being it."""
    target = skeleton(name)
    lengths = range(max(1, len(name) - 3), len(name) + 4)  # spaces and NFKC change lengths a bit
    found = []
    legal = Company.objects.annotate(n=Length("legal_name")).filter(n__in=list(lengths))
    alias = CompanyAlias.objects.annotate(n=Length("name")).filter(n__in=list(lengths))
    if exclude_company is not None:
        legal = legal.exclude(pk=exclude_company)
        alias = alias.exclude(company_id=exclude_company)
    for other in [
        *legal.values_list("legal_name", flat=True),
        *alias.values_list("name", flat=True),
    ]:
        if other.casefold() != name.casefold() and skeleton(other) == target:
            found.append(other)
    return sorted(set(found))


def check_similar(name: str, field: str, exclude_company, confirmed: bool) -> None:
    if confirmed:
        return
    similar = similar_names(name, exclude_company)
    if similar:
        raise ValidationError(
            {
                field: ValidationError(
                    f"This name looks like that of another company ({', '.join(similar[:3])});"
                    " check it, then confirm it (confirm_similar_name) to register it anyway.",
                    code="similar_name",
                )
            }
        )
