from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """Liveness with one database read; also the floor the benchmark compares to."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM django_migrations ORDER BY id LIMIT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})
