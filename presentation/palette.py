"""The one palette of relationship statuses, strongest tie first: the charts, the web page's badges,
network and timeline all colour a status so."""

from __future__ import annotations

from collections.abc import Mapping

from domain.vocabulary import RelationshipStatus

STATUS_COLOURS: Mapping[RelationshipStatus, str] = {
    RelationshipStatus.DIPLOMATIC: "#6a51a3",
    RelationshipStatus.SISTERHOOD: "#b8336a",
    RelationshipStatus.FRIENDSHIP: "#2f6fb0",
    RelationshipStatus.COOPERATION: "#2e8b57",
    RelationshipStatus.CONTACT: "#9a8c7a",
    RelationshipStatus.SUSPENDED: "#e08a00",
    RelationshipStatus.ENDED: "#555555",
}
