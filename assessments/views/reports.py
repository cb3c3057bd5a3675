# TEMPORARY until issue 5 lands in this session
from django.http import Http404


def report(request):
    raise Http404


def report_csv(request):
    raise Http404
