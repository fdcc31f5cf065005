"""The trigger lexicon: for each kind of fact, the words that propose it in a sentence.

Each trigger names its rule (``family.rule``), the kind it proposes, the words that fired, a base
confidence, and the attributes the words themselves give (a level, a subject, a value). Parties,
dates and modality are chosen around it by ``assemble``. The families are grouped as the kinds
registry groups their kinds: ties, encounters, programmes, and the others.
"""

from drafting.triggers.base import SentenceContext, Trigger
from drafting.triggers.encounters import exchanges, invitations, meetings, visits
from drafting.triggers.others import organizations, statements, statistics
from drafting.triggers.programmes import conferences, programs
from drafting.triggers.ties import agreements, relationships

FAMILIES = (
    relationships,
    agreements,
    meetings,
    visits,
    invitations,
    conferences,
    programs,
    organizations,
    statistics,
    exchanges,
    statements,
)

__all__ = ["FAMILIES", "SentenceContext", "Trigger"]
