"""Commissioning records: what was installed in a home, where, how it was tested, and on what basis.

``record`` is the versioned document model, ``pdf`` renders it without Qt; storage lives in
``storage.commissioning_store`` (tables in ``storage.schema_commissioning``).
"""

from .record import CommissioningRecord, DeviceRecord, Household, PrivacyAnswers

__all__ = ["CommissioningRecord", "DeviceRecord", "Household", "PrivacyAnswers"]
