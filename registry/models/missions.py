from django.db import models
from django.db.models import F, Q

from registry.choices import ClientKind, Organisation

from .base import Country, TimeStampedModel


class Mission(TimeStampedModel):
    """A peace support operation run by an international organisation."""

    organisation = models.CharField(max_length=10, choices=Organisation.choices)
    name = models.CharField(max_length=250)
    acronym = models.CharField(max_length=30, unique=True)
    countries = models.ManyToManyField(Country, related_name="missions")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["acronym"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="mission_end_after_start",
                violation_error_message="A mission cannot end before it starts.",
            )
        ]

    def __str__(self):
        return self.acronym


class Client(TimeStampedModel):
    """The organisation that signs a contract with a company."""

    name = models.CharField(max_length=250, unique=True)
    kind = models.CharField(max_length=20, choices=ClientKind.choices)
    mission = models.ForeignKey(
        Mission,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clients",
        help_text="The mission, when the client is a mission's own administration.",
    )
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="clients"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ClientKind.MISSION) | Q(mission__isnull=False),
                name="client_mission_kind_names_mission",
                violation_error_message="A client of kind 'mission' must name its mission.",
            )
        ]

    def __str__(self):
        return self.name
