"""The shape every stored event shares."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

import attrs


@attrs.frozen(kw_only=True)
class DomainEvent:
    """Something that was decided and recorded; ``timestamp`` is when this store recorded it."""

    class_version: ClassVar[int] = 1

    originator_id: UUID
    originator_version: int
    timestamp: datetime
