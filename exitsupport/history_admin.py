"""The admin's history pages (simple-history's), readable in every language."""

from __future__ import annotations

from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper, ObjDiffDisplay


class ReadableChanges(HistoricalRecordContextHelper):
    """The history page's list of changes: each value whole (the values are
    data; simple-history's shortening cuts them mid-word behind an English
    "[n chars]"), and an empty value as a dash rather than Python's "None"."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        return value

    def get_obj_diff_display(self) -> ObjDiffDisplay:
        return ObjDiffDisplay(max_length=1_000_000)


class HistoryAdmin(SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)
