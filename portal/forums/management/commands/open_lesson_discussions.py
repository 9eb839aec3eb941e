"""Open a forum discussion for every guide lesson that has none (a dry run unless --for-real).

Each topic goes in the category of the lesson's role track (New moderators' questions for the
common foundation), started by the forum moderator named with --author, and the lesson's page
then links to it. Run after sync_guides brings in new lessons; lessons that already have a
discussion are left alone, so running it twice opens nothing twice.
"""

from django.core.management.base import BaseCommand, CommandError

from portal.accounts.models import User
from portal.forums.permissions import is_forum_moderator
from portal.forums.services import lesson_discussion_open


class Command(BaseCommand):
    help = "Open a forum discussion topic for each guide lesson without one."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--author", required=True, help="Username of a forum moderator to start them."
        )
        parser.add_argument(
            "--for-real", action="store_true", help="Open them (otherwise only list them)."
        )

    def handle(self, *args, author: str, for_real: bool, **options) -> None:
        from portal.guides.models import Lesson

        person = User.objects.filter(username=author, is_active=True).first()
        # A forum moderator: never rate limited or held, so dozens of topics open in one go.
        if person is None or not is_forum_moderator(person):
            raise CommandError(f"{author!r} is not an active forum moderator.")
        lessons = (
            Lesson.objects.active()
            .filter(discussion_url__isnull=True)
            .select_related("track")
            .in_order()
        )
        count = 0
        for lesson in lessons:
            count += 1
            if for_real:
                url = lesson_discussion_open(lesson=lesson, author=person)
                self.stdout.write(f"{lesson.track.title} / {lesson.title}: {url}")
            else:
                self.stdout.write(f"would open: {lesson.track.title} / {lesson.title}")
        verb = "Opened" if for_real else "Would open"
        self.stdout.write(self.style.SUCCESS(f"{verb} {count} discussion(s)."))
        if count and not for_real:
            self.stdout.write("Nothing changed: run again with --for-real.")
