"""The support plan: focus factors, agreed actions, services and referrals, and
whether a case is open. Its models belong to the ``assessments`` app (they are
imported at the end of ``assessments/models.py``)."""
