from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.entities.base import Base, TimestampMixin, VersionedMixin, WithdrawableMixin


# 期满待考核's candidates: no live assessment on or after the off date. The list's own rule (an assessment up to
# `assessment.early_days` before the off date counts) is narrower and still tested on every row; this index only
# leaves out the cadres assessed after coming off, most of those whose off date is in the window.
UNASSESSED = "withdrawn_at IS NULL AND (assessed_on IS NULL OR assessed_on < off_date)"
_COMMENDED = ("commended_on", "withdrawn_at", "status", "off_date", "urgent_commended_on", "double_victory_on",
              "name_pinyin")


class Cadre(Base, TimestampMixin, VersionedMixin, WithdrawableMixin):
    """A cadre: the 干部任免审批表 fields (domain §5.1) plus the registry fields the app needs."""

    __tablename__ = "cadre"
    __table_args__ = (
        CheckConstraint("gender IN ('男', '女') OR gender IS NULL", name="gender"),
        Index("ix_cadre_unit_name", "unit_id", "name"),
        # Search as you type (models/services/cadres/search.py): every list column, scanned instead of the wide rows.
        Index("ix_cadre_search", "withdrawn_at", "name_pinyin", "id", "name", "name_initials", "id_number", "unit_id",
              "gender", "birth_date", "rank", "identity_category", "status", "off_date", "current_post"),
        # 工作台 coming off / awaiting assessment and the rosters: the off-date range tested (with the latest
        # assessment date for 期满待考核), ordered by name and listed from this index alone, without the wide rows.
        Index("ix_cadre_off_live", "off_date", "withdrawn_at", "status", "assessed_on", "name", "unit_id", "id_number"),
        # … and 期满待考核 from its candidates alone (models/services/dashboard.py repeats UNASSESSED in its WHERE,
        # which SQLite needs to use a partial index): at a million cadres the window holds 66,000 cadres, 18,000 of
        # them not yet assessed.
        Index("ix_cadre_unassessed", "off_date", "withdrawn_at", "status", "assessed_on", "name", "unit_id",
              sqlite_where=text(UNASSESSED), postgresql_where=text(UNASSESSED)),
        # 优先考虑使用 (models/services/commendations.py): cadres commended since a date, free for use, in list order,
        # read from this index alone; the rows are read only for the page shown.
        Index("ix_cadre_commended", *_COMMENDED),
        # … and its 急难险重 and 双胜利 parts, each read in the same order from only the cadres that have such a
        # commendation (from the whole index, a part with few or no members read every cadre commended in the window:
        # 50 ms for the first page at a million cadres)
        Index("ix_cadre_commended_urgent", *_COMMENDED, sqlite_where=text("urgent_commended_on IS NOT NULL"),
              postgresql_where=text("urgent_commended_on IS NOT NULL")),
        Index("ix_cadre_commended_double", *_COMMENDED, sqlite_where=text("double_victory_on IS NOT NULL"),
              postgresql_where=text("double_victory_on IS NOT NULL")),
        # 统计分析 (models/services/statistics.py): every record joined to its cadre for "live" and the unit, from
        # this index instead of the wide row (the aggregates over a year of records read it thousands of times).
        Index("ix_cadre_unit_live", "id", "withdrawn_at", "unit_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    # Search keys derived from the name on every write (full pinyin and initials, lower case, no spaces).
    name_pinyin: Mapped[str] = mapped_column(String(200), nullable=False, default="", index=True)
    name_initials: Mapped[str] = mapped_column(String(40), nullable=False, default="", index=True)
    id_number: Mapped[str] = mapped_column(String(18), nullable=False, unique=True)
    gender: Mapped[str | None] = mapped_column(String(2))
    birth_date: Mapped[date | None] = mapped_column(Date)
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    native_place: Mapped[str | None] = mapped_column(String(40))
    birthplace: Mapped[str | None] = mapped_column(String(40))
    party_joined: Mapped[str | None] = mapped_column(String(60))  # lrmx RuDangShiJian: "200108；民建"
    political_status: Mapped[str | None] = mapped_column(String(30))
    work_started: Mapped[date | None] = mapped_column(Date)
    health: Mapped[str | None] = mapped_column(String(40))
    tech_title: Mapped[str | None] = mapped_column(String(100))
    specialty: Mapped[str | None] = mapped_column(String(120))
    ft_education: Mapped[str | None] = mapped_column(String(40))
    ft_degree: Mapped[str | None] = mapped_column(String(40))
    ft_education_school: Mapped[str | None] = mapped_column(String(100))
    ft_degree_school: Mapped[str | None] = mapped_column(String(100))
    pt_education: Mapped[str | None] = mapped_column(String(40))
    pt_degree: Mapped[str | None] = mapped_column(String(40))
    pt_education_school: Mapped[str | None] = mapped_column(String(100))
    pt_degree_school: Mapped[str | None] = mapped_column(String(100))
    current_post: Mapped[str | None] = mapped_column(String(330))
    proposed_post: Mapped[str | None] = mapped_column(String(330))
    proposed_removal: Mapped[str | None] = mapped_column(String(330))
    resume: Mapped[str | None] = mapped_column(Text)
    annual_assessment_text: Mapped[str | None] = mapped_column(String(420))
    appointment_reason: Mapped[str | None] = mapped_column(String(560))
    reporting_unit: Mapped[str | None] = mapped_column(String(260))
    form_filler: Mapped[str | None] = mapped_column(String(20))
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    identity_category: Mapped[str | None] = mapped_column(String(20), index=True)  # 身份类别
    post_level: Mapped[str | None] = mapped_column(String(20))  # 职务层次
    rank: Mapped[str | None] = mapped_column(String(20), index=True)  # 职级
    grade: Mapped[str | None] = mapped_column(String(10))  # 级别
    post_since: Mapped[date | None] = mapped_column(Date)
    rank_since: Mapped[date | None] = mapped_column(Date)
    is_party_member: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    party_org: Mapped[str | None] = mapped_column(String(120))
    management_authority: Mapped[str | None] = mapped_column(String(20))  # 干部管理权限: 市管/区管
    is_grassroots: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    status: Mapped[str] = mapped_column(String(10), default="在职", nullable=False, index=True)
    # Derived on every handling write from the engine: the cadre's overall off date (domain §8.3), or NULL.
    off_date: Mapped[date | None] = mapped_column(Date)
    # Derived from the cadre's live commendations (neither revoked nor withdrawn) on every write
    # (models/derived/commendation_summary.py): the latest date of any, of an 急难险重 one, of a 双胜利 one.
    commended_on: Mapped[date | None] = mapped_column(Date)
    urgent_commended_on: Mapped[date | None] = mapped_column(Date)
    double_victory_on: Mapped[date | None] = mapped_column(Date)
    # Derived from the cadre's live 影响期满考核 on every write (models/derived/assessment_summary.py): the latest
    # assessed_on, so that 期满待考核 tests "assessed since the off date" from the index, not a probe per cadre.
    assessed_on: Mapped[date | None] = mapped_column(Date)

    unit = relationship("Unit")
    family: Mapped[list["FamilyMember"]] = relationship(
        back_populates="cadre", cascade="all, delete-orphan", order_by="FamilyMember.sort_order"
    )
    assessments: Mapped[list["AnnualAssessment"]] = relationship(
        back_populates="cadre", cascade="all, delete-orphan", order_by="AnnualAssessment.year"
    )


class FamilyMember(Base):
    __tablename__ = "family_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), nullable=False, index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    relation: Mapped[str] = mapped_column(String(20), nullable=False)  # 称谓
    name: Mapped[str] = mapped_column(String(40), nullable=False)
    birth: Mapped[str | None] = mapped_column(String(8))  # YYYYMM as in the 任免表
    political_status: Mapped[str | None] = mapped_column(String(30))
    work_and_post: Mapped[str | None] = mapped_column(String(130))
    cadre = relationship("Cadre", back_populates="family")


class AnnualAssessment(Base):
    __tablename__ = "annual_assessment"
    __table_args__ = (Index("uq_annual_assessment_cadre_year", "cadre_id", "year", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    grade: Mapped[str] = mapped_column(String(20), nullable=False)  # 优秀/称职/基本称职/不称职/不定等次
    cadre = relationship("Cadre", back_populates="assessments")
