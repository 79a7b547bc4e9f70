from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    """Guichet's own page when a form's CSRF check fails (expired page, cookies refused)."""
    return render(request, "403_csrf.html", status=403)
