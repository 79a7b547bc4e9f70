"""Reads of the advisor's comment threads, for the advisor's and the applicant's pages."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from forms.models import Application

from .models import Comment, Section


@dataclass
class Thread:
    root: Comment
    replies: list[Comment] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return self.root.resolved_at is not None


def threads_by_section(*, application: Application) -> list[tuple[str, str, list[Thread]]]:
    """[(section, label, [Thread, ...])] in the wizard's order; one query."""
    threads: dict[int, Thread] = {}
    by_section: dict[str, list[Thread]] = {}
    comments = application.advisor_comments.select_related("author", "resolved_by").order_by("created_at", "pk")
    for comment in comments:
        if comment.parent_id is None:
            threads[comment.pk] = Thread(root=comment)
            by_section.setdefault(comment.section, []).append(threads[comment.pk])
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in threads:
            threads[comment.parent_id].replies.append(comment)
    return [(value, label, by_section.get(value, [])) for value, label in Section.choices]


def unread_by_application(*, applications, applicant_side: bool) -> dict[int, int]:
    """{application pk: comments of the other side not yet seen} (one query)."""
    return dict(
        Comment.objects.filter(application_id__in=list(applications), by_applicant=not applicant_side)
        .values("application_id")
        .annotate(n=Count("pk", filter=Q(seen_at__isnull=True)))
        .values_list("application_id", "n")
    )
