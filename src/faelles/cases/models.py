"""Case handling: case types (versioned BPMN models), cases and what a case carries.

A case runs on the case-type *version* it was opened with; uploading a new version changes
only the cases opened after it. The engine's state is kept in ``Case.state`` (JSON, written
with SpiffWorkflow's serializer, compacted — see ``faelles.cases.engine``); everything a case
worker, an auditor or the Ombudsman asks about (who did what when, which deadlines, which
documents with which hashes, the decision with its reasons and complaint guidance) lives in
ordinary tables beside it, written in the same transaction as the step.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from faelles.core.models import TenantQuerySet


class CaseType(models.Model):
    """A kind of case an institution handles (a grant pool, a complaint, a benefit)."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="case_types"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    #: FORM (Den Fællesoffentlige Opgavenomenklatur) task code, e.g. "26.05.10".
    task_code = models.CharField(_("FORM task code"), max_length=40, blank=True)
    #: KLE classification (emne + handlingsfacet), e.g. "32.18.00 G01".
    kle = models.CharField(_("KLE classification"), max_length=40, blank=True)
    #: Appeals go to this case type (at the appeals body, another institution).
    appeal_case_type = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: Case times of this type are published on the public page.
    published = models.BooleanField(_("case times published"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["institution_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="casetype_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cases:case-type-detail", kwargs={"pk": self.pk})


class CaseTypeVersion(models.Model):
    """One uploaded, checked model of a case type: the files as uploaded (with their hash) and
    the parsed process spec the engine runs."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    process_id = models.CharField(_("process"), max_length=200)
    #: {filename: text} exactly as uploaded.
    files = models.JSONField(_("files"))
    sha256 = models.CharField(_("content hash"), max_length=64)
    spec = models.JSONField(_("process spec"))
    user_tasks = models.JSONField(default=list)
    services = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["case_type_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case_type", "number"], name="casetypeversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_type} v{self.number}"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    FAILED = "failed", _("Stopped by an error")


class Case(models.Model):
    """A case: numbered per institution and year, of one case-type version."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="cases"
    )
    year = models.PositiveIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("number in year"))
    number = models.CharField(_("case number"), max_length=60)
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="cases")
    version = models.ForeignKey(CaseTypeVersion, on_delete=models.PROTECT, related_name="cases")
    title = models.CharField(_("title"), max_length=300)
    task_code = models.CharField(_("FORM task code"), max_length=40, blank=True)
    kle = models.CharField(_("KLE classification"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    #: The end event the case reached (e.g. "end_dismissed", "end_final").
    outcome = models.CharField(_("outcome"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    #: The engine's state (SpiffWorkflow serializer, compacted; no spec).
    state = models.JSONField(default=dict)
    steps = models.PositiveIntegerField(_("steps"), default=0)
    next_timer_at = models.DateTimeField(null=True, blank=True, db_index=True)
    appeal_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "seq"], name="case_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["institution", "status", "case_type"], name="case_inst_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:case-detail", kwargs={"pk": self.pk})


class CaseParty(models.Model):
    """A party: a citizen (by CPR — kept, shown masked, every read logged) or a company (CVR)."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Citizen (CPR)")
        COMPANY = "company", _("Company (CVR)")
        AUTHORITY = "authority", _("Authority")

    class PartyRole(models.TextChoices):
        COMPLAINANT = "complainant", _("Complainant")
        APPLICANT = "applicant", _("Applicant")
        PARTY = "party", _("Other party")
        AUTHORITY = "authority", _("Authority whose decision is complained of")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=12, choices=PartyRole.choices)
    name = models.CharField(_("name"), max_length=200)
    cpr = models.CharField(_("CPR number"), max_length=10, blank=True)
    #: Keyed hash of the CPR number (faelles.core.personal_data.cpr_ref): finds a person's
    #: cases without reading the number.
    cpr_ref = models.CharField(max_length=64, blank=True, db_index=True)
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def cpr_masked(self) -> str:
        """All digits hidden (the birth date is personal data too): faelles.redact's mask."""
        from faelles.redact import CPR_MASK

        return CPR_MASK if self.cpr else ""


class CaseDocument(models.Model):
    """A document on a case, incoming or outgoing, stored as received/sent with its hash."""

    class Direction(models.TextChoices):
        INCOMING = "in", _("Incoming")
        OUTGOING = "out", _("Outgoing")
        INTERNAL = "internal", _("Internal")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    title = models.CharField(_("title"), max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    content = models.BinaryField()
    sha256 = models.CharField(_("content hash"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    #: The document this one was copied from (an appeal carries the documents along).
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: Where an outgoing letter went (the Digital Post transport's receipt).
    sent_via = models.CharField(max_length=40, blank=True)
    sent_ref = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class CaseTaskState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CaseTask(models.Model):
    """A user task of a case, mirrored from the engine for the work lists (who, what, when
    due), with the time registered on it (cost per case)."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks")
    task_uuid = models.UUIDField()
    spec_id = models.CharField(max_length=200)
    name = models.CharField(_("task"), max_length=300)
    form = models.CharField(max_length=100)
    #: The lane (case role) that works the task.
    role = models.CharField(_("role"), max_length=40)
    state = models.CharField(
        _("state"), max_length=10, choices=CaseTaskState.choices, default=CaseTaskState.OPEN
    )
    created_at = models.DateTimeField(_("created"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes = models.PositiveIntegerField(_("minutes"), default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "created_at", "pk"]
        indexes = [
            models.Index(
                fields=["institution", "state", "role", "due_at"], name="casetask_worklist"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "task_uuid"], name="casetask_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CaseDeadline(models.Model):
    """A deadline on a case (a hearing, the appeal period, a task) with its warning time."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        PASSED = "passed", _("Passed")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deadlines")
    kind = models.CharField(_("kind"), max_length=40)
    label = models.CharField(_("deadline"), max_length=200)
    due_at = models.DateTimeField(_("due"))
    warn_at = models.DateTimeField(_("warn from"))
    warned_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["state", "warn_at"], name="casedeadline_warn")]

    def __str__(self) -> str:
        return self.label


class CaseDecision(models.Model):
    """The decision of a case, with what the Public Administration Act requires of it: the
    reasons (begrundelse, §§ 22-24) and the complaint guidance (klagevejledning, § 25)."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=40)
    reasons = models.TextField(_("reasons"))
    legal_basis = models.TextField(_("legal basis"))
    complaint_guidance = models.TextField(_("complaint guidance"))
    appeal_deadline = models.DateTimeField(_("appeal deadline"), null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"))
    #: When the decision was published (anonymised) in the board's list of decisions.
    published_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.case.number}: {self.outcome}"


class CaseJournalEntry(models.Model):
    """The case journal: every step, who, when — also the engine history that compaction cut
    from the stored state."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        TASK = "task", _("Task completed")
        SERVICE = "service", _("Service")
        TIMER = "timer", _("Timer")
        DOCUMENT = "document", _("Document")
        PARTY = "party", _("Party")
        DECISION = "decision", _("Decision")
        CLOSED = "closed", _("Closed")
        ERROR = "error", _("Error")

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="journal")
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    element = models.CharField(max_length=200, blank=True)
    text = models.CharField(_("what"), max_length=500)
    data = models.JSONField(default=dict, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="casejournal_case_at")]

    def __str__(self) -> str:
        return self.text


class LetterTemplate(models.Model):
    """A docx letter template an administrator uploaded for one case type and letter kind;
    the newest one is used (the earlier ones stay, with who uploaded them and when). Without
    one, the shipped template of the kind is used (``faelles.cases.letters``)."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="letter_templates"
    )
    kind = models.CharField(_("letter"), max_length=40)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(_("content hash"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["case_type_id", "kind", "-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["case_type", "kind"], name="lettertemplate_kind")]

    def __str__(self) -> str:
        return f"{self.case_type} {self.kind}"
