"""All entities; importing this package registers every table on Base.metadata."""
from models.entities.base import Base
from models.entities.org import Unit, UnitEvent
from models.entities.cadre import AnnualAssessment, Cadre, FamilyMember
from models.entities.commendation import Commendation
from models.derived import commendation_summary# noqa: F401,E402 - registers the summary upkeep
from models.entities.handling import ExpiryAssessment, Handling, Restriction, Review, Task
from models.derived import assessment_summary  # noqa: F401,E402 - registers the summary upkeep
from models.entities.visit import Visit, VisitPlan
from models.entities.accusation import Accusation, AccusationSubject, Clarification, GuardRefusal, Inquiry
from models.entities.system import AuditEvent, DocumentNumber, Setting, User
from models.entities.imports import ImportBatch, ImportItem, ImportMapping

__all__ = [
    "Base", "Unit", "UnitEvent", "Cadre", "FamilyMember", "AnnualAssessment", "Commendation", "Handling", "Restriction",
    "Review", "Task", "ExpiryAssessment", "Visit", "VisitPlan", "Accusation", "AccusationSubject", "Inquiry",
    "Clarification", "GuardRefusal", "AuditEvent", "DocumentNumber", "Setting", "User", "ImportBatch", "ImportItem",
    "ImportMapping",
]


def configure() -> None:
    """Configure every mapper now (the first ORM query would otherwise do it): the login's loader thread calls
    this while the person types (gui/startup.py)."""
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
