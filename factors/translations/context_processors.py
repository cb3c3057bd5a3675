"""``translation_status``: whether the page's language is a draft translation
(read from a cache, no query per request; see services.status)."""

from factors.translations.services import status


def translation_status(request):
    return {"translation_status": status()}
