from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from fonds.models import Call


def call_form(fund, **overrides) -> dict:
    now = timezone.localtime()
    data = {
        "fund": fund.pk,
        "title": "Appel créé dans l'admin",
        "description": "",
        "opens_at_0": now.strftime("%Y-%m-%d"),
        "opens_at_1": "08:00:00",
        "closes_at_0": (now + timedelta(days=30)).strftime("%Y-%m-%d"),
        "closes_at_1": "17:00:00",
        "envelope": "100000",
        "min_amount": "1000",
        "max_amount": "20000",
        "max_years": "2",
        "reviewers_per_application": "2",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_it_gives_a_call_added_in_the_admin_the_default_criteria(client, admin_user, fund):
    client.force_login(admin_user)
    response = client.post(reverse("admin:fonds_call_add"), call_form(fund))
    assert response.status_code == 302, response.context["adminform"].form.errors
    call = Call.objects.get(title="Appel créé dans l'admin")
    assert sorted(call.criteria.values_list("key", flat=True)) == ["concertation", "innovation", "perennite"]
    assert all(c.checklist.count() == 2 for c in call.criteria.all())


def test_it_keeps_criteria_typed_in_the_admin_add_form(client, admin_user, fund):
    client.force_login(admin_user)
    data = call_form(
        fund,
        **{
            "criteria-TOTAL_FORMS": "1",
            "criteria-0-position": "0",
            "criteria-0-key": "impact",
            "criteria-0-title": "Impact",
            "criteria-0-description": "Measurable change.",
            "criteria-0-weight": "2",
        },
    )
    response = client.post(reverse("admin:fonds_call_add"), data)
    assert response.status_code == 302
    call = Call.objects.get(title="Appel créé dans l'admin")
    assert list(call.criteria.values_list("key", flat=True)) == ["impact"]


def test_it_shows_form_errors_for_an_inconsistent_call(client, admin_user, fund):
    client.force_login(admin_user)
    response = client.post(reverse("admin:fonds_call_add"), call_form(fund, min_amount="50000", max_amount="100"))
    assert response.status_code == 200
    assert not Call.objects.filter(title="Appel créé dans l'admin").exists()


def test_it_does_not_add_criteria_when_a_call_is_edited(client, admin_user, call):
    call.criteria.all().delete()
    client.force_login(admin_user)
    data = call_form(call.fund, title="Renamed")
    data["criteria-INITIAL_FORMS"] = "0"
    response = client.post(reverse("admin:fonds_call_change", args=[call.pk]), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title == "Renamed"
    assert call.criteria.count() == 0


def test_it_keeps_non_staff_out_of_the_admin(client, manager):
    client.force_login(manager)
    response = client.get(reverse("admin:fonds_call_add"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
