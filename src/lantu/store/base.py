"""The declarative base every table of the store derives from, and the clock its defaults use.

Its own module so that the table modules (``models``, ``models_web``, ``models_supervision``)
import it without importing each other.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: a column's ``info`` marking it as a label — a short name others pick or recognize a thing by;
#: the store asks :func:`lantu.domain.gate.label_problem` of what it writes there, beside the
#: text rule every text column follows (:func:`lantu.store.db._refuse_unstorable_text`)
LABEL = {"text_rule": "label"}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
