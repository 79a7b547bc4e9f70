"""Shared pieces of the permission matrix: roles, cases, helpers to build URLs from the scenario."""

from dataclasses import dataclass, field

from django.urls import reverse

ROLES = [
    "anonymous",
    "applicant",
    "outsider",
    "advisor",
    "reviewer1",
    "reviewer2",
    "manager",
    "other_manager",
    "funder",
    "admin",
]
LOGGED_IN = [r for r in ROLES if r != "anonymous"]


@dataclass
class Case:
    method: str
    url: object  # callable(scenario) -> str
    allowed: list[str]
    data: object = field(default=None)  # callable(scenario) -> dict
    # Roles neither allowed nor denied: a refusal that redirects with a message (nothing written).
    refused: list[str] = field(default_factory=list)

    def expected(self, role: str) -> str:
        if role in self.allowed:
            return "ok"
        if role in self.refused:
            return "refused"
        if role == "anonymous":
            return "login"
        return "deny"


def app(name):
    return lambda s: s.applications[name]


def task(name):
    return lambda s: reverse("workflow:task", args=[s.tasks[name].pk])
