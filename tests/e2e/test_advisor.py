"""An advisor in a real browser: the supported draft, a comment on one question, the applicant's reply,
resolving the thread; in French and in English, every page checked with axe-core."""

import pytest
from playwright.sync_api import expect

from reviewers.models import Comment
from reviewers.services import comment_add, support_request

from .conftest import assert_accessible, in_both_languages
from .test_applicant_journey import html_lang, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADD = in_both_languages("Add the comment")
RESOLVE = in_both_languages("Mark as resolved")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_lets_an_advisor_comment_a_question_and_follow_the_reply(page, language, draft, applicant, advisor):
    support_request(application=draft, by=applicant, message="Notre budget est-il clair ?")
    page.goto("/accounts/login/?next=/reviews/advisor/")
    sign_in(page, advisor)
    if language == "en":
        with page.expect_navigation():
            page.locator("header form.lang-switch").get_by_role("button", name="English").click()
    assert html_lang(page).startswith(language)
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Cuisine collective de Joliette").click()
    expect(page.get_by_text("Notre budget est-il clair ?")).to_be_visible()
    assert_accessible(page)

    form = page.locator("main form[action$='/comment/']")
    form.locator("[name=section]").select_option("budget")
    form.locator("[name=question]").select_option("amounts")
    form.locator("[name=body]").fill("L'an 2 baisse de 5 000 $ : expliquez pourquoi.")
    with page.expect_navigation():
        form.get_by_role("button", name=ADD).click()
    comment = Comment.objects.get()
    assert (comment.section, comment.question) == ("budget", "amounts")
    expect(page.get_by_text("L'an 2 baisse de 5 000 $ : expliquez pourquoi.")).to_be_visible()
    assert_accessible(page)

    # The applicant's team replies (from its own pages); the advisor sees the unread reply.
    comment_add(
        application=draft, by=applicant, section="budget", body="Une subvention de la Ville arrive.", parent=comment
    )
    page.goto("/reviews/advisor/")
    expect(page.locator("main .badge")).to_have_text("1")
    assert_accessible(page)
    page.goto(f"/reviews/drafts/{draft.pk}/")
    expect(page.get_by_text("Une subvention de la Ville arrive.")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name=RESOLVE).click()
    comment.refresh_from_db()
    assert comment.resolved_at is not None
    assert_accessible(page)
