"""Typed factories for the board. Each builds rows the way the services would: rendered
HTML stored, the closing instant worked out from the closing day, slots from the schedule."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils.timezone import localdate, now
from factory.django import DjangoModelFactory

from portal.accounts.models import Role
from portal.board.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Invitation,
    Opening,
    OpeningReport,
    OpeningSlot,
    OpeningStatus,
    Question,
    QuestionKind,
    ReportReason,
)
from portal.board.services import closing_instant
from portal.markup import render_markdown
from tests.factories import ChannelFactory, UserFactory


class OpeningFactory(DjangoModelFactory[Opening]):
    """An open, published opening closing in 30 days, seeking Chat Enforcers."""

    class Meta:
        model = Opening
        skip_postgeneration_save = True

    channel = factory.SubFactory(ChannelFactory)
    title = factory.Sequence(lambda n: f"Chat enforcer wanted {n}")
    description = "Keep our **cozy** chat kind."
    description_html = factory.LazyAttribute(lambda o: render_markdown(o.description))
    requirements = ""
    requirements_html = ""
    timezone = "UTC"
    hours_per_week = 5
    status = OpeningStatus.OPEN
    closes_on = factory.LazyFunction(lambda: localdate() + timedelta(days=30))
    expires_at = factory.LazyAttribute(lambda o: closing_instant(o.closes_on, o.timezone))
    published_at = factory.LazyFunction(now)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            self.roles.set(
                extracted if extracted is not None else [Role.objects.get(slug="chat-enforcer")]
            )

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create and extracted:
            self.languages.set(extracted)

    @factory.post_generation
    def slots(self, create, extracted, **kwargs):
        if create and self.schedule:
            OpeningSlot.objects.bulk_create(
                OpeningSlot.written(window, self.timezone, opening=self) for window in self.windows
            )


class QuestionFactory(DjangoModelFactory[Question]):
    class Meta:
        model = Question

    opening = factory.SubFactory(OpeningFactory)
    order = factory.Sequence(lambda n: n)
    prompt = factory.Sequence(lambda n: f"Question {n}?")
    kind = QuestionKind.SHORT
    required = True


class ApplicationFactory(DjangoModelFactory[Application]):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    opening = factory.SubFactory(OpeningFactory)
    applicant = factory.SubFactory(UserFactory)
    message = "I would love to help."
    message_html = factory.LazyAttribute(lambda a: render_markdown(a.message))
    status = ApplicationStatus.SUBMITTED

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            ApplicationEvent.objects.create(
                application=self, actor=self.applicant, to_status=ApplicationStatus.SUBMITTED
            )


class InvitationFactory(DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    opening = factory.SubFactory(OpeningFactory)
    invitee = factory.SubFactory(UserFactory)
    invited_by = factory.LazyAttribute(lambda i: i.opening.channel.owner)


class OpeningReportFactory(DjangoModelFactory[OpeningReport]):
    class Meta:
        model = OpeningReport

    opening = factory.SubFactory(OpeningFactory)
    reporter = factory.SubFactory(UserFactory)
    reason = ReportReason.SCAM
    details = "Asks for a fee up front."
