"""Facts and their sources as W3C PROV-O, in JSON-LD."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from projections.answers import FactView, SourceSummary

CONTEXT = {
    "prov": "http://www.w3.org/ns/prov#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "paradip": "https://paradip.example/ns#",
    "attribute": "https://paradip.example/ns/attribute#",
}


def _attribute_properties(fact: FactView) -> dict[str, Any]:
    """Each attribute of a fact as a property of its own (``attribute:level``), lists kept in order,
    so an RDF consumer reads them; an attribute without a value has no triple."""
    return {
        f"attribute:{name}": {"@list": list(value)} if isinstance(value, tuple) else value
        for name, value in fact.attributes.items
        if value is not None
    }


def _source_id(document: str, sha256: str) -> str:
    return f"urn:paradip:source:{quote(document)}:{sha256}"


def _agent_id(name: str) -> str:
    return f"urn:paradip:agent:{quote(name)}"


def prov_document(facts: Sequence[FactView], sources: Mapping[str, SourceSummary]) -> dict[str, Any]:
    """A PROV-O graph: each source version an entity attributed to its publisher, each fact an entity
    quoted from its source by a recording activity."""
    graph: list[dict[str, Any]] = []
    seen: set[str] = set()
    for fact in facts:
        source = fact.source
        source_id = _source_id(source.document, source.sha256)
        if source_id not in seen:
            seen.add(source_id)
            summary = sources.get(source.document)
            graph.append(
                {
                    "@id": source_id,
                    "@type": "prov:Entity",
                    "dcterms:identifier": source.document,
                    "dcterms:title": source.title,
                    "dcterms:publisher": source.publisher,
                    "dcterms:issued": source.published,
                    "paradip:sha256": source.sha256,
                    "prov:wasAttributedTo": {"@id": _agent_id(source.publisher)},
                    **({"prov:atLocation": summary.address} if summary and summary.address else {}),
                }
            )
            agent = _agent_id(source.publisher)
            if agent not in seen:
                seen.add(agent)
                graph.append(
                    {"@id": agent, "@type": ["prov:Agent", "prov:Organization"], "dcterms:title": source.publisher}
                )
        activity = f"urn:paradip:recording:{fact.fact_id}"
        graph.append(
            {
                "@id": activity,
                "@type": "prov:Activity",
                "prov:endedAtTime": {"@value": fact.recorded_at.isoformat(), "@type": "xsd:dateTime"},
                "prov:used": {"@id": source_id},
            }
        )
        graph.append(
            {
                "@id": f"urn:uuid:{fact.fact_id}",
                "@type": "prov:Entity",
                "paradip:kind": str(fact.kind),
                "paradip:modality": str(fact.modality),
                "paradip:parties": list(fact.parties),
                "paradip:validTime": fact.date,
                **_attribute_properties(fact),
                "paradip:status": str(fact.status),
                "paradip:quote": source.quote,
                "paradip:quoteStart": source.start,
                "paradip:quoteEnd": source.end,
                "prov:value": source.quote,
                "prov:wasDerivedFrom": {"@id": source_id},
                "prov:wasQuotedFrom": {"@id": source_id},
                "prov:hadPrimarySource": {"@id": source_id},
                "prov:wasGeneratedBy": {"@id": activity},
                "prov:generatedAtTime": {"@value": fact.recorded_at.isoformat(), "@type": "xsd:dateTime"},
            }
        )
    return {"@context": CONTEXT, "@graph": graph}
