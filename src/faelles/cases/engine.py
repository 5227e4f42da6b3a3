"""The BPMN/DMN engine behind case types: SpiffWorkflow, fenced in.

A case type is a BPMN 2.0 process (with DMN decision tables) executed by SpiffWorkflow. What
this module adds around the engine:

- **Checking a model** (:func:`check_model`): the files are parsed with a hardened XML parser,
  validated against the BPMN schema, and every element the engine would run is checked against
  what this platform offers: service tasks must name a registered service
  (:mod:`faelles.cases.registry`), user tasks a registered form and sit in a lane named after
  a known case role, and every expression (gateway conditions, timers, service parameters, DMN
  entries) must be a *safe expression*. Script tasks and pre/post scripts are refused: models
  are uploaded by institutions, and uploaded Python would run on the operator's servers.
- **Safe expressions**: a small subset of Python (names, constants, comparisons, boolean and
  arithmetic operators, subscripts and a few pure functions), checked on the syntax tree before
  anything is evaluated, and evaluated without builtins. The check runs at upload *and* every
  time the engine evaluates an expression.
- **Persistence** (:func:`dump` / :func:`load`): the engine's own serializer, without the
  process spec (kept once per case-type version and cached per process), and after
  :func:`compact`, which cuts the completed history above the point where the live tasks meet
  — the journal table keeps that history, so the stored state stays flat however long a case
  runs (see docs/design/cases.md).
- **Clock**: timers compare against the time given to :func:`fire_due_timers`, not against the
  wall clock, so timers fire from the beat schedule, from the simulator and from tests alike.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from uuid import UUID

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.event_definitions import timer as _spiff_timer
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

__all__ = [
    "Finding",
    "ParsedModel",
    "TaskState",
    "UnsafeExpression",
    "check_expression",
    "check_model",
    "compact",
    "dump",
    "fire_due_timers",
    "load",
    "new_workflow",
    "next_timer_at",
    "ready_user_tasks",
    "restore_spec",
]

MAX_MODEL_BYTES = 2 * 1024 * 1024

# --- safe expressions ----------------------------------------------------------------------------

SAFE_FUNCTIONS: Mapping[str, Callable[..., Any]] = {
    "len": len,
    "min": min,
    "max": max,
    "abs": abs,
    "round": round,
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "sum": sum,
    "any": any,
    "all": all,
    "Decimal": Decimal,
}

_ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.FloorDiv,
    ast.Mod,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.Subscript,
    ast.Slice,
    ast.Tuple,
    ast.List,
    ast.Set,
    ast.Dict,
    ast.IfExp,
    ast.Call,
)


class UnsafeExpression(ValueError):
    """An expression outside the safe subset (or not an expression at all)."""


def check_expression(expression: str) -> str | None:
    """``None`` when ``expression`` is a safe expression, else the reason it is not."""
    try:
        _compiled(expression)
    except UnsafeExpression as exc:
        return str(exc)
    return None


@lru_cache(maxsize=4096)
def _compiled(expression: str) -> Any:
    if len(expression) > 2000:
        raise UnsafeExpression("the expression is longer than 2000 characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise UnsafeExpression(f"not an expression: {exc.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise UnsafeExpression(f"{type(node).__name__} is not allowed in an expression")
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            raise UnsafeExpression(f"the name {node.id!r} is not allowed")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in SAFE_FUNCTIONS:
                raise UnsafeExpression(
                    "only these functions may be called: " + ", ".join(sorted(SAFE_FUNCTIONS))
                )
            if node.keywords:
                raise UnsafeExpression("functions take positional arguments only")
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str | bytes)
            and len(node.value) > 500
        ):
            raise UnsafeExpression("a text constant is longer than 500 characters")
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mult)
            and any(
                isinstance(side, ast.Constant) and isinstance(side.value, str | bytes)
                for side in (node.left, node.right)
            )
        ):
            raise UnsafeExpression("repeating text is not allowed")
    return compile(tree, "<expression>", "eval")


# --- the clock -----------------------------------------------------------------------------------

#: The time a step runs at (None: the wall clock). Timers are compared against it.
CLOCK: ContextVar[datetime | None] = ContextVar("faelles_cases_clock", default=None)


class _StepDatetime(datetime):
    """``datetime`` for the engine's timer module: ``now()`` is the step's time when one is
    set, so a timer fires when *our* clock says so (beat schedule, simulator, tests)."""

    @classmethod
    def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
        clock = CLOCK.get()
        if clock is None:
            return datetime.now(tz)
        return clock.astimezone(tz) if tz is not None else clock.replace(tzinfo=None)


_spiff_timer.datetime = _StepDatetime


# --- the script engine ------------------------------------------------------------------------

#: The service dispatcher (set by the cases services for the duration of one step):
#: ``(operation_name, params, task_data) -> JSON-able result``.
ServiceCall = Callable[[str, dict[str, Any], dict[str, Any]], Any]

#: The dispatcher of the step running in this thread/task (None outside a step).
SERVICE_CALL: ContextVar[ServiceCall | None] = ContextVar(
    "faelles_cases_service_call", default=None
)


class _SafeEnvironment(BasePythonScriptEngineEnvironment):  # type: ignore[misc]
    """Evaluates safe expressions only; runs no scripts."""

    def __init__(self) -> None:
        super().__init__({"__builtins__": {}, **SAFE_FUNCTIONS})

    def evaluate(
        self, expression: str, context: dict[str, Any], external_context: Any = None
    ) -> Any:
        code = _compiled(expression)
        scope = dict(context)
        if external_context:
            scope.update(external_context)
        return eval(code, dict(self.globals), scope)  # noqa: S307 - checked by _compiled

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> Any:
        raise UnsafeExpression("scripts are not run by this platform")

    def call_service(self, context: dict[str, Any], **kwargs: Any) -> str:
        service_call = SERVICE_CALL.get()
        if service_call is None:
            raise RuntimeError("service tasks run only inside a case step")
        params = {k: v["value"] for k, v in kwargs["operation_params"].items()}
        result = service_call(kwargs["operation_name"], params, context)
        return json.dumps(result, default=str)


class CaseScriptEngine(PythonScriptEngine):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(environment=_SafeEnvironment())

    def validate(self, expression: str) -> None:
        # The DMN engine asks whether an entry parses (``> 28`` does not, ``v > 28`` does).
        ast.parse(expression)

    def call_service(self, task: Any, **kwargs: Any) -> str:
        # Errors of our services propagate as they are (a Refused stays a Refused).
        result: str = self.environment.call_service(task.data, **kwargs)
        return result


ENGINE = CaseScriptEngine()
SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


# --- checking models ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One reason a model is refused: a stable code, the file and element, a message."""

    code: str
    message: str
    file: str = ""
    element: str = ""

    def __str__(self) -> str:
        where = ":".join(p for p in (self.file, self.element) if p)
        return (
            f"{where}: {self.message} [{self.code}]" if where else f"{self.message} [{self.code}]"
        )

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "element": self.element,
        }


@dataclass
class ParsedModel:
    """A checked model: its process id and name, the spec as the serializer writes it, and the
    user tasks, services and forms it uses (for the case-type page)."""

    process_id: str = ""
    name: str = ""
    spec: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    user_tasks: list[dict[str, str]] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def _xml_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )


def _parse_xml(name: str, content: bytes) -> tuple[Any, Finding | None]:
    if len(content) > MAX_MODEL_BYTES:
        return None, Finding("file_too_large", "the file is larger than 2 MiB", name)
    try:
        root = etree.fromstring(content, parser=_xml_parser())
    except etree.XMLSyntaxError as exc:
        return None, Finding("not_xml", f"not well-formed XML: {exc}", name)
    return root, None


def _kind(name: str, root: Any) -> str:
    ns = etree.QName(root).namespace or ""
    if "DMN" in ns.upper():
        return "dmn"
    if ns == "http://www.omg.org/spec/BPMN/20100524/MODEL":
        return "bpmn"
    return "unknown"


def check_model(
    files: Mapping[str, bytes],
    *,
    services: Iterable[str],
    forms: Iterable[str],
    roles: Iterable[str],
) -> ParsedModel:
    """Check one case-type model (one BPMN file with one executable process, plus the DMN
    files it calls). Returns the parsed model; ``findings`` is empty when it may be used."""
    services, forms, roles = set(services), set(forms), set(roles)
    result = ParsedModel()
    parser = SpiffBpmnParser(validator=VALIDATOR)
    bpmn_roots: list[tuple[str, Any]] = []
    for name, content in files.items():
        root, finding = _parse_xml(name, content)
        if finding is not None:
            result.findings.append(finding)
            continue
        kind = _kind(name, root)
        try:
            if kind == "dmn":
                parser.add_dmn_xml(root, filename=name)
            elif kind == "bpmn":
                parser.add_bpmn_xml(root, filename=name)
                bpmn_roots.append((name, root))
            else:
                result.findings.append(
                    Finding("unknown_file", "neither a BPMN 2.0 nor a DMN file", name)
                )
        except ValidationException as exc:
            result.findings.append(Finding("invalid", _spiff_message(exc), name))
        except (SpiffWorkflowException, etree.LxmlError, ValueError, KeyError) as exc:
            result.findings.append(Finding("invalid", str(exc), name))
    if result.findings:
        return result
    if not bpmn_roots:
        result.findings.append(Finding("no_bpmn", "a case type needs one BPMN file"))
        return result
    ids = list(parser.get_process_ids())
    if len(ids) != 1:
        result.findings.append(
            Finding(
                "process_count",
                f"a case type is one executable process; found {len(ids)}",
                bpmn_roots[0][0],
            )
        )
        return result
    process_id = ids[0]
    try:
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as exc:
        result.findings.append(Finding("invalid", _spiff_message(exc), bpmn_roots[0][0]))
        return result
    except (SpiffWorkflowException, KeyError, ValueError) as exc:
        result.findings.append(Finding("invalid", str(exc), bpmn_roots[0][0]))
        return result
    filename = bpmn_roots[0][0]
    if subprocess_specs:
        result.findings.append(
            Finding("subprocess", "call activities and subprocesses are not supported", filename)
        )
    result.process_id = process_id
    result.name = spec.description or process_id
    for task_spec in spec.task_specs.values():
        _check_task_spec(task_spec, filename, services, forms, roles, result)
    if not result.findings:
        result.spec = SERIALIZER.to_dict(spec)
    return result


def _spiff_message(exc: ValidationException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    node = getattr(exc, "id", None) or getattr(exc, "name", None)
    return f"{text} (element {node})" if node else text


def _check_expr(
    expression: Any, what: str, filename: str, element: str, result: ParsedModel
) -> None:
    if expression is None:
        return
    reason = check_expression(str(expression))
    if reason:
        result.findings.append(
            Finding("unsafe_expression", f"{what} {expression!r}: {reason}", filename, element)
        )


_ALLOWED_SPEC_TYPES = {
    "StartEvent",
    "EndEvent",
    "UserTask",
    "ManualTask",
    "ServiceTask",
    "BusinessRuleTask",
    "ExclusiveGateway",
    "ParallelGateway",
    "InclusiveGateway",
    "IntermediateCatchEvent",
    "BoundaryEvent",
    "BoundaryEventSplit",
    "BoundaryEventJoin",
    "_EndJoin",
    "BpmnStartTask",
    "SimpleBpmnTask",
}


def _check_task_spec(
    task_spec: Any,
    filename: str,
    services: set[str],
    forms: set[str],
    roles: set[str],
    result: ParsedModel,
) -> None:
    element = getattr(task_spec, "bpmn_id", None) or task_spec.name
    kind = type(task_spec).__name__
    if kind not in _ALLOWED_SPEC_TYPES:
        result.findings.append(
            Finding(
                "unsupported_element",
                f"{kind} is not supported (scripts, messages and subprocesses are not run)",
                filename,
                element,
            )
        )
        return
    if getattr(task_spec, "prescript", None) or getattr(task_spec, "postscript", None):
        result.findings.append(
            Finding(
                "script", "pre- and post-scripts are not run by this platform", filename, element
            )
        )
    extensions = getattr(task_spec, "extensions", {}) or {}
    properties = extensions.get("properties", {}) or {}
    if kind in ("UserTask", "ManualTask"):
        form = properties.get("form")
        lane = getattr(task_spec, "lane", None)
        if not form:
            result.findings.append(
                Finding("form_missing", "a user task must name its form", filename, element)
            )
        elif form not in forms:
            result.findings.append(
                Finding("unknown_form", f"unknown form {form!r}", filename, element)
            )
        if not lane:
            result.findings.append(
                Finding(
                    "role_missing", "a user task must sit in a lane (its role)", filename, element
                )
            )
        elif lane not in roles:
            result.findings.append(
                Finding(
                    "unknown_role",
                    f"unknown role {lane!r} (known: {', '.join(sorted(roles))})",
                    filename,
                    element,
                )
            )
        due = properties.get("due_days")
        if due is not None and not str(due).isdigit():
            result.findings.append(
                Finding("due_days", "due_days must be a whole number of days", filename, element)
            )
        result.user_tasks.append(
            {
                "id": element,
                "name": task_spec.bpmn_name or element,
                "form": form or "",
                "role": lane or "",
            }
        )
    if kind == "ServiceTask":
        name = task_spec.operation_name
        if name not in services:
            result.findings.append(
                Finding("unknown_service", f"unknown service {name!r}", filename, element)
            )
        elif name not in result.services:
            result.services.append(name)
        for param_name, param in (task_spec.operation_params or {}).items():
            _check_expr(param.get("value"), f"parameter {param_name}", filename, element, result)
    if kind == "BusinessRuleTask":
        table = task_spec.dmnEngine.decision_table
        result.decisions.append(table.id)
        for inp in table.inputs:
            _check_expr(inp.expression, "DMN input", filename, element, result)
        for rule in table.rules:
            for entry in rule.inputEntries:
                for lhs in entry.lhs:
                    if lhs is None:
                        continue
                    text = lhs.replace("?", "dmninputexpr")
                    if check_expression(text) and check_expression(f"dmninputexpr {text}"):
                        _check_expr(text, "DMN input entry", filename, element, result)
            for out in rule.outputEntries:
                _check_expr(out.text, "DMN output entry", filename, element, result)
    for choice in getattr(task_spec, "cond_task_specs", None) or []:
        condition = choice[0] if isinstance(choice, tuple | list) else choice.get("condition")
        args = getattr(condition, "args", None)
        if args:
            condition = args[0]
        _check_expr(condition, "condition", filename, element, result)
    definition = getattr(task_spec, "event_definition", None)
    if isinstance(definition, TimerEventDefinition):
        _check_expr(definition.expression, "timer", filename, element, result)
    elif definition is not None and type(definition).__name__ not in ("NoneEventDefinition",):
        result.findings.append(
            Finding(
                "unsupported_event",
                f"{type(definition).__name__} events are not supported (timers only)",
                filename,
                element,
            )
        )


# --- running and persisting ---------------------------------------------------------------------


@lru_cache(maxsize=256)
def _spec_from_json(spec_json: str) -> Any:
    return SERIALIZER.from_dict(json.loads(spec_json))


def restore_spec(spec: Mapping[str, Any] | str) -> Any:
    """The process spec from its stored form (cached: specs are immutable and shared)."""
    text = spec if isinstance(spec, str) else json.dumps(spec, sort_keys=True)
    return _spec_from_json(text)


def new_workflow(spec: Any) -> BpmnWorkflow:
    return BpmnWorkflow(spec, script_engine=ENGINE)


def _workflow_converter() -> Any:
    return SERIALIZER.registry.convert_from_dict["BpmnWorkflow"].args[0].__self__


def dump(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The workflow's state as JSON-able data, without the spec (stored per version)."""
    registry = SERIALIZER.registry
    registry._encoder_mode = False
    dct: dict[str, Any] = registry.convert(workflow)
    dct.pop("spec", None)
    dct.pop("subprocess_specs", None)
    dct["serializer_version"] = SERIALIZER.VERSION
    dct["tasks"] = _in_tree_order(dct["tasks"], dct["root"])
    for task in dct["tasks"].values():
        # A set of keys written as a list in the data's key order, which jsonb does not keep.
        delta = task.get("delta") or {}
        if delta.get("deletions"):
            delta["deletions"] = sorted(delta["deletions"])
    # Task data may hold dates, Decimals, UUIDs: the stored state is plain JSON.
    plain: dict[str, Any] = json.loads(json.dumps(dct, default=str))
    return plain


def _in_tree_order(tasks: Mapping[str, Any], root: str) -> dict[str, Any]:
    """The task mapping with every parent before its children (root first, then depth-first
    along each task's ``children`` list), whatever order the mapping came in.

    The engine stores a task's data as a *delta* against its parent's and restores the tasks
    in the mapping's order: a child restored before its parent finds no parent and keeps only
    the (empty) full-data field, losing everything it inherited. PostgreSQL's ``jsonb`` does
    not keep the order of an object's keys (it sorts them by length, then bytes), so the order
    must not matter. Lists (``children``) keep their order in ``jsonb``, which makes this order
    the same on every database. Tasks not reachable from the root (none are expected) follow,
    each after its parent where it has one.
    """
    ordered: dict[str, Any] = {}
    stack = [root]
    while stack:
        tid = stack.pop()
        if tid in ordered or tid not in tasks:
            continue
        ordered[tid] = tasks[tid]
        stack.extend(reversed(tasks[tid].get("children") or []))
    rest = [tid for tid in tasks if tid not in ordered]
    while rest:
        progressed = False
        for tid in list(rest):
            parent = tasks[tid].get("parent")
            if parent is None or parent in ordered or parent not in tasks:
                ordered[tid] = tasks[tid]
                rest.remove(tid)
                progressed = True
        if not progressed:  # a cycle: cannot happen in a tree; keep what is left as it is
            for tid in rest:
                ordered[tid] = tasks[tid]
            break
    return ordered


def load(state: Mapping[str, Any], spec: Any) -> BpmnWorkflow:
    """The workflow from its stored state and its (cached) spec."""
    converter = _workflow_converter()
    dct = json.loads(json.dumps(state))  # the converter pops keys: work on a copy
    dct.pop("serializer_version", None)
    workflow = BpmnWorkflow(spec, {}, script_engine=ENGINE, deserializing=True)
    tasks = _in_tree_order(dct["tasks"], dct["root"])
    workflow.tasks = converter.mapping_from_dict(tasks, UUID, workflow=workflow)
    workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
    converter.set_default_attributes(workflow, dct)
    converter.subprocesses_from_dict(dct.get("subprocesses", {}), workflow)
    workflow.bpmn_events = SERIALIZER.registry.restore(dct.pop("bpmn_events", []))
    return workflow


def _finished(task: Any) -> bool:
    return bool(task.has_state(TaskState.FINISHED_MASK))


def compact(workflow: BpmnWorkflow) -> int:
    """Cut the completed history above the point where every live task's ancestry meets.

    The engine keeps every completed task as an ancestor of the live ones, so a case that loops
    (a decision sent back, a periodic payment) grows without end. Above the lowest common
    ancestor of the live tasks nothing can influence the run any more (joins and boundary
    events only look at tasks below it), so that chain is removed and the cut point hangs
    directly from the root. Task data is complete on every task in memory, so the cut point
    keeps its data. Returns the number of tasks removed.
    """
    if workflow.subprocesses:
        return 0
    root = workflow.task_tree
    live = [t for t in workflow.tasks.values() if not _finished(t)]
    if not live:
        return 0
    paths = []
    for task in live:
        path = []
        node = task
        while node is not None:
            path.append(node)
            node = node.parent
        paths.append(path[::-1])
    common = paths[0]
    for path in paths[1:]:
        n = 0
        while n < len(common) and n < len(path) and common[n] is path[n]:
            n += 1
        common = common[:n]
    if len(common) < 3:
        return 0  # root, then the cut point: nothing between them
    cut = common[-1]
    for node in common[1:]:
        if not _finished(node):
            cut = node
            break
    if cut.parent is root:
        return 0
    keep = {root.id}
    stack = [cut]
    while stack:
        node = stack.pop()
        keep.add(node.id)
        stack.extend(node.children)
    removed = [tid for tid in workflow.tasks if tid not in keep]
    for tid in removed:
        del workflow.tasks[tid]
    root._children = [cut.id]
    cut._parent = root.id
    if workflow.last_task is not None and workflow.last_task.id not in keep:
        workflow.last_task = cut
    return len(removed)


def ready_user_tasks(workflow: BpmnWorkflow) -> list[Any]:
    """The user tasks waiting for a person, in a stable order."""
    tasks = workflow.get_tasks(state=TaskState.READY, manual=True)
    return sorted(tasks, key=lambda t: (t.task_spec.bpmn_id or "", str(t.id)))


def _timer_tasks(workflow: BpmnWorkflow) -> list[Any]:
    return [
        t
        for t in workflow.get_tasks(state=TaskState.WAITING)
        if isinstance(t.task_spec, CatchingEvent)
        and isinstance(t.task_spec.event_definition, TimerEventDefinition)
    ]


def _timer_due(task: Any) -> datetime | None:
    value = task._get_internal_data("event_value")
    if value is None:
        task.task_spec.event_definition.has_fired(task)
        value = task._get_internal_data("event_value")
    if value is None or isinstance(value, dict):
        return None
    parsed = TimerEventDefinition.parse_time_or_duration(str(value))
    return parsed if isinstance(parsed, datetime) else None


def next_timer_at(workflow: BpmnWorkflow) -> datetime | None:
    """When the earliest waiting timer of the workflow is due (``None``: no timer waits)."""
    dues = [d for d in (_timer_due(t) for t in _timer_tasks(workflow)) if d is not None]
    return min(dues) if dues else None


def fire_due_timers(workflow: BpmnWorkflow, now: datetime) -> list[str]:
    """Fire the timers due at ``now`` (run inside :data:`CLOCK` set to ``now``); the caller
    runs the engine on. Returns the ids of the timer events that fired."""
    fired = []
    for task in _timer_tasks(workflow):
        due = _timer_due(task)
        if due is not None and due <= now.astimezone(UTC):
            fired.append(task.task_spec.bpmn_id or task.task_spec.name)
    if fired:
        token = CLOCK.set(now)
        try:
            workflow.refresh_timers()
        finally:
            CLOCK.reset(token)
    return fired
