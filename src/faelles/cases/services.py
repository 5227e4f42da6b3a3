"""Every write of case handling: importing case-type models, opening cases, completing tasks,
firing timers, warning before deadlines, parties and documents.

A *step* (opening a case, completing a task, a timer firing) is one transaction: the case row
is locked, the engine state loaded, the engine run (service tasks write their own rows through
:class:`StepContext`), the work-list rows and deadlines brought in line with the engine, the
journal and the audit event written, the state compacted and stored. If anything fails the
whole step rolls back and the case is as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.dmn.specs.business_rule_task_mixin import BusinessRuleTaskMixin
from SpiffWorkflow.util.task import TaskState
from stdnum.dk import cpr as stdnum_cpr
from stdnum.dk import cvr as stdnum_cvr

from faelles.cases import engine
from faelles.cases.models import (
    Case,
    CaseDeadline,
    CaseDocument,
    CaseJournalEntry,
    CaseParty,
    CaseStatus,
    CaseTask,
    CaseTaskState,
    CaseType,
    CaseTypeVersion,
    LetterTemplate,
)
from faelles.cases.registry import FORMS, ROLES, SERVICES, known_services
from faelles.core.access import roles_of
from faelles.core.audit import Denied, Refused, record_event, refusals_recorded
from faelles.core.numbering import next_number
from faelles.core.personal_data import cpr_ref, log_personal_data_access
from faelles.redact import scrub_cpr

# --- case types ---------------------------------------------------------------------------------


def model_check(files: Mapping[str, bytes]) -> engine.ParsedModel:
    """Check a model against the engine and the registries (no database)."""
    return engine.check_model(files, services=known_services(), forms=FORMS, roles=ROLES)


def _may_model(actor: Any, institution: Any) -> bool:
    from faelles.tenancy.roles import CASE_MODELLERS

    return bool(roles_of(actor, institution) & CASE_MODELLERS)


@refusals_recorded
@transaction.atomic
def case_type_import(
    *,
    actor: Any,
    institution: Any,
    files: Mapping[str, bytes],
    code: str = "",
    name: str = "",
    task_code: str = "",
    kle: str = "",
    check_role: bool = True,
) -> CaseTypeVersion:
    """Upload a model as a new version of the institution's case type (created on first
    upload; the code defaults to the process id). A model with findings is refused with them;
    cases already running stay on the version they started with."""
    if check_role and not _may_model(actor, institution):
        raise Denied(
            Refused(
                _("Only administrators may upload case-type models."),
                code="not_modeller",
                action="cases.case_type.import",
                institution=institution,
            )
        )
    parsed = model_check(files)
    if not parsed.ok:
        raise Refused(
            _("The model is refused: %(reasons)s")
            % {"reasons": "; ".join(str(f) for f in parsed.findings)},
            code="model_invalid",
            action="cases.case_type.import",
            institution=institution,
            field="files",
            details={"findings": [f.as_dict() for f in parsed.findings]},
        )
    code = code or parsed.process_id.replace("_", "-")
    case_type = (
        CaseType.objects.select_for_update().filter(institution=institution, code=code).first()
    )
    if case_type is None:
        case_type = CaseType(
            institution=institution,
            code=code,
            name=name or parsed.name,
            task_code=task_code,
            kle=kle,
        )
        case_type.full_clean()
        case_type.save()
    else:
        changed = False
        for attr, value in (("name", name), ("task_code", task_code), ("kle", kle)):
            if value and getattr(case_type, attr) != value:
                setattr(case_type, attr, value)
                changed = True
        if changed:
            case_type.save()
    texts = {fname: content.decode("utf-8") for fname, content in sorted(files.items())}
    digest = hashlib.sha256()
    for fname, content in sorted(files.items()):
        digest.update(fname.encode() + b"\0" + content + b"\0")
    last = case_type.versions.order_by("-number").first()
    if last is not None and last.sha256 == digest.hexdigest():
        return last  # the same files again: idempotent
    version = CaseTypeVersion.objects.create(
        institution=institution,
        case_type=case_type,
        number=(last.number + 1) if last else 1,
        process_id=parsed.process_id,
        files=texts,
        sha256=digest.hexdigest(),
        spec=parsed.spec,
        user_tasks=parsed.user_tasks,
        services=parsed.services,
        uploaded_by=actor,
    )
    record_event(
        institution=institution,
        actor=actor,
        action="cases.case_type.import",
        obj=case_type,
        details={"version": version.number, "sha256": version.sha256, "process": parsed.process_id},
    )
    return version


@transaction.atomic
def case_type_configure(
    *,
    actor: Any,
    case_type: CaseType,
    appeal_case_type: CaseType | None = None,
    published: bool | None = None,
) -> CaseType:
    """Where appeals of this case type go, and whether its case times are published."""
    if appeal_case_type is not None:
        if appeal_case_type.institution_id == case_type.institution_id:
            raise Refused(
                _("Appeals go to another institution (the appeals body)."),
                code="appeal_same_institution",
                action="cases.case_type.configure",
                institution=case_type.institution,
                field="appeal_case_type",
            )
        case_type.appeal_case_type = appeal_case_type
    if published is not None:
        case_type.published = published
    case_type.save()
    record_event(
        institution=case_type.institution,
        actor=actor,
        action="cases.case_type.configure",
        obj=case_type,
        details={
            "appeal_case_type": appeal_case_type.pk if appeal_case_type else None,
            "published": case_type.published,
        },
    )
    return case_type


@refusals_recorded
@transaction.atomic
def letter_template_upload(
    *, actor: Any, case_type: CaseType, kind: str, filename: str, content: bytes
) -> LetterTemplate:
    """Replace the docx template of one letter kind for a case type (administrators). A
    template that is not a docx, does not parse, or names a field letters do not have is
    refused with the reasons; the earlier templates stay on record."""
    from faelles.cases import letters

    institution = case_type.institution
    if not _may_model(actor, institution):
        raise Denied(
            Refused(
                _("Only administrators may upload letter templates."),
                code="not_modeller",
                action="cases.letter_template.upload",
                institution=institution,
                obj=case_type,
            )
        )
    if kind not in letters.KINDS:
        raise Refused(
            _("Unknown letter %(kind)s.") % {"kind": kind},
            code="unknown_letter",
            action="cases.letter_template.upload",
            institution=institution,
            obj=case_type,
            field="kind",
        )
    reasons = letters.check_template(content)
    if reasons:
        raise Refused(
            _("The template is refused: %(reasons)s") % {"reasons": " ".join(reasons)},
            code="template_invalid",
            action="cases.letter_template.upload",
            institution=institution,
            obj=case_type,
            field="file",
            details={"kind": kind, "findings": reasons[:20]},
        )
    row = LetterTemplate.objects.create(
        institution=institution,
        case_type=case_type,
        kind=kind,
        filename=(filename or f"{kind}.docx")[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        uploaded_by=actor,
    )
    record_event(
        institution=institution,
        actor=actor,
        action="cases.letter_template.upload",
        obj=case_type,
        details={"kind": kind, "sha256": row.sha256, "size": row.size},
    )
    return row


# --- steps --------------------------------------------------------------------------------------


@dataclass
class StepContext:
    """What service tasks see of the step they run in."""

    case: Case
    actor: Any
    now: dt.datetime
    journal: list[CaseJournalEntry] = field(default_factory=list)
    after_commit: list[Any] = field(default_factory=list)

    def log(
        self, kind: str, text: str, *, element: str = "", data: dict[str, Any] | None = None
    ) -> None:
        self.journal.append(
            CaseJournalEntry(
                institution_id=self.case.institution_id,
                case=self.case,
                at=self.now,
                actor=self.actor,
                kind=kind,
                element=element,
                text=scrub_cpr(text)[:500],
                data=data or {},
            )
        )


def _dispatch(ctx: StepContext) -> engine.ServiceCall:
    def call(name: str, params: dict[str, Any], data: dict[str, Any]) -> Any:
        spec = SERVICES.get(name)
        if spec is None:  # checked at upload; a service removed since then stops the case
            raise RuntimeError(f"unknown service {name!r}")
        result = spec.func(ctx, params, data)
        ctx.log(CaseJournalEntry.Kind.SERVICE, f"{name}", element=name, data={"params": params})
        return result

    return call


def _journal_engine_task(ctx: StepContext, task: Any) -> None:
    spec = task.task_spec
    if isinstance(spec, BusinessRuleTaskMixin):
        table = spec.dmnEngine.decision_table
        outputs = {o.name: task.data.get(o.name) for o in table.outputs if o.name}
        ctx.log(
            CaseJournalEntry.Kind.DECISION,
            f"{spec.bpmn_name or spec.bpmn_id}: {outputs}",
            element=spec.bpmn_id or "",
            data={"decision_table": table.id, "outputs": outputs},
        )
    elif isinstance(spec, CatchingEvent) and type(spec).__name__ == "BoundaryEvent":
        ctx.log(CaseJournalEntry.Kind.TIMER, spec.bpmn_name or spec.bpmn_id, element=spec.bpmn_id)


def _run(ctx: StepContext, workflow: Any, action: Any) -> None:
    token = engine.SERVICE_CALL.set(_dispatch(ctx))
    clock = engine.CLOCK.set(ctx.now)
    try:
        action()
        workflow.do_engine_steps(did_complete_task=lambda t: _journal_engine_task(ctx, t))
    finally:
        engine.CLOCK.reset(clock)
        engine.SERVICE_CALL.reset(token)


_SPECS: dict[tuple[int, str], Any] = {}


def _spec_for(case: Case) -> Any:
    """The parsed spec of the case's version, once per process (versions never change)."""
    version = case.version
    key = (version.pk, version.sha256)
    spec = _SPECS.get(key)
    if spec is None:
        spec = _SPECS[key] = engine.restore_spec(version.spec)
    return spec


def _due(task: Any, now: dt.datetime) -> dt.datetime | None:
    properties = (getattr(task.task_spec, "extensions", {}) or {}).get("properties", {}) or {}
    days = properties.get("due_days")
    return now + dt.timedelta(days=int(days)) if days and str(days).isdigit() else None


def _outcome(workflow: Any) -> str:
    ends = [
        t
        for t in workflow.get_tasks(state=TaskState.COMPLETED)
        if isinstance(t.task_spec, EndEvent) and t.task_spec.bpmn_id
    ]
    ends.sort(key=lambda t: t.last_state_change)
    return ends[-1].task_spec.bpmn_id if ends else ""


def _sync(ctx: StepContext, workflow: Any) -> None:
    """Bring the work list, deadlines, status and stored state in line with the engine."""
    case = ctx.case
    ready = {t.id: t for t in engine.ready_user_tasks(workflow)}
    open_rows = {
        r.task_uuid: r for r in CaseTask.objects.filter(case=case, state=CaseTaskState.OPEN)
    }
    for uuid, row in open_rows.items():
        if uuid not in ready:
            row.state = CaseTaskState.CANCELLED
            row.completed_at = ctx.now
            row.save(update_fields=["state", "completed_at"])
            ctx.log(
                CaseJournalEntry.Kind.TIMER,
                _("Task withdrawn: %(task)s") % {"task": row.name},
                element=row.spec_id,
            )
    new_rows = []
    for uuid, task in ready.items():
        if uuid in open_rows:
            continue
        spec = task.task_spec
        props = (getattr(spec, "extensions", {}) or {}).get("properties", {}) or {}
        new_rows.append(
            CaseTask(
                institution_id=case.institution_id,
                case=case,
                task_uuid=uuid,
                spec_id=spec.bpmn_id or spec.name,
                name=spec.bpmn_name or spec.bpmn_id or spec.name,
                form=props.get("form", ""),
                role=spec.lane or "",
                created_at=ctx.now,
                due_at=_due(task, ctx.now),
            )
        )
    CaseTask.objects.bulk_create(new_rows)
    waiting_timers = {
        t.task_spec.bpmn_id
        for t in workflow.get_tasks(state=TaskState.WAITING)
        if t.task_spec.bpmn_id
    }
    fired = {e.element for e in ctx.journal if e.kind == CaseJournalEntry.Kind.TIMER}
    for deadline in CaseDeadline.objects.filter(case=case, state=CaseDeadline.State.OPEN):
        if deadline.kind in waiting_timers:
            continue
        deadline.state = (
            CaseDeadline.State.PASSED if deadline.kind in fired else CaseDeadline.State.MET
        )
        deadline.save(update_fields=["state"])
    if workflow.completed:
        case.status = CaseStatus.CLOSED
        case.closed_at = ctx.now
        case.outcome = _outcome(workflow)
        ctx.log(
            CaseJournalEntry.Kind.CLOSED,
            _("Case closed: %(outcome)s") % {"outcome": case.outcome},
            element=case.outcome,
        )
        CaseDeadline.objects.filter(case=case, state=CaseDeadline.State.OPEN).update(
            state=CaseDeadline.State.MET
        )
    clock = engine.CLOCK.set(ctx.now)
    try:
        case.next_timer_at = None if workflow.completed else engine.next_timer_at(workflow)
    finally:
        engine.CLOCK.reset(clock)
    engine.compact(workflow)
    case.state = engine.dump(workflow)
    case.steps += 1
    case.save(update_fields=["status", "closed_at", "outcome", "next_timer_at", "state", "steps"])
    CaseJournalEntry.objects.bulk_create(ctx.journal)
    for callback in ctx.after_commit:
        transaction.on_commit(callback)


# --- opening a case -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyInput:
    kind: str
    role: str
    name: str
    cpr: str = ""
    cvr: str = ""


@dataclass(frozen=True)
class DocumentInput:
    title: str
    filename: str
    content: bytes
    content_type: str = "application/octet-stream"
    direction: str = CaseDocument.Direction.INCOMING


def _party(case: Case, party: PartyInput) -> CaseParty:
    row = CaseParty(
        institution_id=case.institution_id,
        case=case,
        kind=party.kind,
        role=party.role,
        name=party.name,
    )
    if party.kind == CaseParty.Kind.CITIZEN:
        try:
            number = stdnum_cpr.validate(party.cpr)
        except Exception:
            raise Refused(
                _("Not a valid CPR number."),
                code="cpr_invalid",
                action="cases.case.open",
                institution=case.institution,
                field="cpr",
            ) from None
        row.cpr = number
        row.cpr_ref = cpr_ref(number)
    elif party.kind == CaseParty.Kind.COMPANY:
        try:
            row.cvr = stdnum_cvr.validate(party.cvr)
        except Exception:
            raise Refused(
                _("Not a valid CVR number."),
                code="cvr_invalid",
                action="cases.case.open",
                institution=case.institution,
                field="cvr",
            ) from None
    row.full_clean(exclude=["case", "institution"])
    row.save()
    return row


def _document(case: Case, doc: DocumentInput, actor: Any, copied_from: Any = None) -> CaseDocument:
    return CaseDocument.objects.create(
        institution_id=case.institution_id,
        case=case,
        direction=doc.direction,
        title=doc.title[:300],
        filename=doc.filename[:255],
        content_type=doc.content_type,
        content=doc.content,
        sha256=hashlib.sha256(doc.content).hexdigest(),
        size=len(doc.content),
        created_by=actor,
        copied_from=copied_from,
    )


def _may_open(actor: Any, institution: Any) -> bool:
    if actor is None:
        return True  # the system (an appeal opened by a step, the simulator)
    return bool(roles_of(actor, institution) & ROLES["case_worker"])


@refusals_recorded
@transaction.atomic
def case_open(
    *,
    actor: Any,
    case_type: CaseType,
    title: str,
    parties: Sequence[PartyInput] = (),
    documents: Sequence[DocumentInput] = (),
    data: Mapping[str, Any] | None = None,
    appeal_of: Case | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """Open a case of the case type's current version and run it to its first wait."""
    institution = case_type.institution
    if not _may_open(actor, institution):
        raise Denied(
            Refused(
                _("You may not open cases in this institution."),
                code="not_case_worker",
                action="cases.case.open",
                institution=institution,
            )
        )
    version = case_type.versions.order_by("-number").first()
    if version is None or not case_type.is_active:
        raise Refused(
            _("The case type has no model yet."),
            code="no_model",
            action="cases.case.open",
            institution=institution,
            obj=case_type,
            field="case_type",
        )
    now = now or timezone.now()
    seq = next_number(institution=institution, series="case", year=now.year)
    case = Case.objects.create(
        institution=institution,
        year=now.year,
        seq=seq,
        number=f"{institution.short_name}-{now.year}-{seq:05d}",
        case_type=case_type,
        version=version,
        title=scrub_cpr(title)[:300],
        task_code=case_type.task_code,
        kle=case_type.kle,
        appeal_of=appeal_of,
        opened_at=now,
        opened_by=actor,
    )
    for party in parties:
        _party(case, party)
    for doc in documents:
        _document(case, doc, actor)
    ctx = StepContext(case=case, actor=actor, now=now)
    ctx.log(CaseJournalEntry.Kind.OPENED, _("Case opened"), data={"version": version.number})
    workflow = engine.new_workflow(_spec_for(case))
    if data:
        workflow.task_tree.data.update(dict(data))
        for task in workflow.get_tasks():
            task.data.update(dict(data))
    _run(ctx, workflow, lambda: None)
    _sync(ctx, workflow)
    record_event(
        institution=institution,
        actor=actor,
        action="cases.case.open",
        obj=case,
        details={
            "number": case.number,
            "case_type": case_type.code,
            "version": version.number,
            "parties": len(parties),
            "documents": len(documents),
            "appeal_of": appeal_of.number if appeal_of else None,
        },
    )
    return case


# --- completing a task --------------------------------------------------------------------------


def _locked(case_id: int) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("version", "institution")
        .get(pk=case_id)
    )


@refusals_recorded
@transaction.atomic
def case_task_complete(
    *,
    actor: Any,
    task: CaseTask,
    data: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> Case:
    """Complete one user task with its form's data and run the case on to its next wait."""
    case = _locked(task.case_id)
    task = CaseTask.objects.select_for_update(of=("self",)).get(pk=task.pk)
    institution = case.institution
    if task.state != CaseTaskState.OPEN or case.status != CaseStatus.OPEN:
        raise Refused(
            _("The task is no longer open."),
            code="task_closed",
            action="cases.task.complete",
            institution=institution,
            obj=case,
            field="task",
        )
    if actor is not None and not (roles_of(actor, institution) & ROLES.get(task.role, frozenset())):
        raise Denied(
            Refused(
                _("This task is for the role %(role)s.") % {"role": task.role},
                code="wrong_role",
                action="cases.task.complete",
                institution=institution,
                obj=case,
                details={"task": task.spec_id},
            )
        )
    form = FORMS[task.form]
    if form.four_eyes_after and actor is not None:
        drafted = (
            CaseTask.objects.filter(case=case, form=form.four_eyes_after, state=CaseTaskState.DONE)
            .order_by("-completed_at", "-pk")
            .first()
        )
        if drafted is not None and drafted.completed_by_id == actor.pk:
            raise Refused(
                _("The person who drafted may not approve (two persons)."),
                code="four_eyes",
                action="cases.task.complete",
                institution=institution,
                obj=case,
                details={"task": task.spec_id},
            )
    cleaned, errors = form.clean(data)
    if errors:
        raise Refused(
            "; ".join(f"{k}: {v}" for k, v in errors.items()),
            code="form_invalid",
            action="cases.task.complete",
            institution=institution,
            obj=case,
            field="data",
            details={"fields": sorted(errors)},
        )
    now = now or timezone.now()
    workflow = engine.load(case.state, _spec_for(case))
    spiff_task = workflow.get_task_from_id(task.task_uuid)
    minutes = cleaned.pop("minutes", None) or 0
    ctx = StepContext(case=case, actor=actor, now=now)

    def complete() -> None:
        spiff_task.data.update(cleaned)
        spiff_task.run()

    _run(ctx, workflow, complete)
    task.state = CaseTaskState.DONE
    task.completed_at = now
    task.completed_by = actor
    task.minutes = minutes
    task.save(update_fields=["state", "completed_at", "completed_by", "minutes"])
    ctx.journal.insert(
        0,
        CaseJournalEntry(
            institution_id=case.institution_id,
            case=case,
            at=now,
            actor=actor,
            kind=CaseJournalEntry.Kind.TASK,
            element=task.spec_id,
            text=task.name,
            data={"fields": sorted(cleaned), "minutes": minutes},
        ),
    )
    _sync(ctx, workflow)
    record_event(
        institution=institution,
        actor=actor,
        action="cases.task.complete",
        obj=case,
        details={"task": task.spec_id, "form": task.form, "minutes": minutes},
    )
    return case


# --- timers and deadlines -------------------------------------------------------------------------


@transaction.atomic
def case_timers_fire(*, case_id: int, now: dt.datetime) -> list[str]:
    """Fire the due timers of one case (a deadline passed) and run it on."""
    case = _locked(case_id)
    if case.status != CaseStatus.OPEN or case.next_timer_at is None or case.next_timer_at > now:
        return []
    workflow = engine.load(case.state, _spec_for(case))
    ctx = StepContext(case=case, actor=None, now=now)
    fired: list[str] = []

    def fire() -> None:
        fired.extend(engine.fire_due_timers(workflow, now))

    _run(ctx, workflow, fire)
    for element in fired:
        if not any(
            e.element == element and e.kind == CaseJournalEntry.Kind.TIMER for e in ctx.journal
        ):
            ctx.log(CaseJournalEntry.Kind.TIMER, element, element=element)
    _sync(ctx, workflow)
    if fired:
        record_event(
            institution=case.institution,
            actor=None,
            action="cases.timer.fire",
            obj=case,
            details={"timers": fired},
        )
    return fired


def timers_fire_due(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Fire every due timer (the beat schedule's task). One transaction per case."""
    now = now or timezone.now()
    ids = list(
        Case.objects.filter(status=CaseStatus.OPEN, next_timer_at__lte=now)
        .order_by("next_timer_at")
        .values_list("pk", flat=True)[:limit]
    )
    fired = 0
    for case_id in ids:
        fired += len(case_timers_fire(case_id=case_id, now=now))
    return fired


@transaction.atomic
def deadlines_warn(*, now: dt.datetime | None = None) -> int:
    """Mark the open deadlines inside their warning period as warned (once), so the work list
    and the case show them, with an event in each institution's chain."""
    now = now or timezone.now()
    due = list(
        CaseDeadline.objects.select_for_update()
        .filter(state=CaseDeadline.State.OPEN, warn_at__lte=now, warned_at__isnull=True)
        .select_related("case")
        .order_by("pk")
    )
    for deadline in due:
        deadline.warned_at = now
        deadline.save(update_fields=["warned_at"])
        CaseJournalEntry.objects.create(
            institution_id=deadline.institution_id,
            case=deadline.case,
            at=now,
            kind=CaseJournalEntry.Kind.TIMER,
            element=deadline.kind,
            text=_("Deadline approaching: %(label)s") % {"label": deadline.label},
        )
        record_event(
            institution=deadline.case.institution,
            actor=None,
            action="cases.deadline.warn",
            obj=deadline.case,
            details={"deadline": deadline.kind, "due_at": deadline.due_at.isoformat()},
        )
    return len(due)


def deadline_add(
    ctx: StepContext, *, kind: str, label: str, due_at: dt.datetime, warn_days: int = 3
) -> CaseDeadline:
    return CaseDeadline.objects.create(
        institution_id=ctx.case.institution_id,
        case=ctx.case,
        kind=kind,
        label=label,
        due_at=due_at,
        warn_at=due_at - dt.timedelta(days=warn_days),
    )


# --- parties and documents ---------------------------------------------------------------------


@refusals_recorded
@transaction.atomic
def party_cpr_read(*, actor: Any, party: CaseParty, purpose: str) -> str:
    """Show a party's full CPR number: allowed to those who work the case, logged with purpose."""
    if not (
        roles_of(actor, party.case.institution) & (ROLES["case_worker"] | ROLES["case_manager"])
    ):
        raise Denied(
            Refused(
                _("You may not read personal data on this case."),
                code="not_case_worker",
                action="cases.party.cpr_read",
                institution=party.case.institution,
                obj=party.case,
            )
        )
    log_personal_data_access(
        actor=actor,
        institution=party.case.institution,
        subject_type="cases.caseparty",
        subject_id=party.pk,
        purpose=purpose,
        fields=["cpr"],
        cpr=party.cpr,
    )
    return party.cpr


@refusals_recorded
@transaction.atomic
def document_add(*, actor: Any, case: Case, document: DocumentInput) -> CaseDocument:
    """Add an incoming (or internal) document to a case, stored as received with its hash."""
    if not (roles_of(actor, case.institution) & ROLES["case_worker"]):
        raise Denied(
            Refused(
                _("You may not add documents to this case."),
                code="not_case_worker",
                action="cases.document.add",
                institution=case.institution,
                obj=case,
            )
        )
    row = _document(case, document, actor)
    CaseJournalEntry.objects.create(
        institution_id=case.institution_id,
        case=case,
        at=timezone.now(),
        actor=actor,
        kind=CaseJournalEntry.Kind.DOCUMENT,
        element=row.sha256[:16],
        text=scrub_cpr(row.title)[:500],
    )
    record_event(
        institution=case.institution,
        actor=actor,
        action="cases.document.add",
        obj=case,
        details={"document": row.pk, "sha256": row.sha256, "size": row.size},
    )
    return row


def documents_copy(*, source: Case, target: Case, actor: Any) -> list[CaseDocument]:
    """Carry a case's documents along to a linked case (an appeal), hashes unchanged."""
    copies = []
    for doc in source.documents.order_by("pk"):
        copies.append(
            CaseDocument(
                institution_id=target.institution_id,
                case=target,
                direction=CaseDocument.Direction.INCOMING,
                title=doc.title,
                filename=doc.filename,
                content_type=doc.content_type,
                content=bytes(doc.content),
                sha256=doc.sha256,
                size=doc.size,
                copied_from=doc,
                created_by=actor,
            )
        )
    return CaseDocument.objects.bulk_create(copies)


def hourly_rate() -> Any:
    from decimal import Decimal

    return Decimal(str(getattr(settings, "CASES_HOURLY_RATE", "600.00")))
