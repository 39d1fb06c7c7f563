"""The one catalogue of consistency checks, and the runner.

A check is a plain function ``check(case) -> list[Finding]`` registered with ``@check(...)``: it states its
rule in its docstring, reports bad data as findings and never raises on it (beancount's validation style).
Modules register themselves on import; ``CHECK_MODULES`` lists them in the order they run, so the catalogue
is explicit and a test can list every check.  ``run_checks`` isolates checks from each other: a check that
crashes (a bug) becomes an "info" finding naming the check rather than taking the whole review down.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Callable

from core.model import Case, Finding, Severity

log = logging.getLogger(__name__)

CheckFn = Callable[[Case], list[Finding]]

# Every module that defines checks; imported (in this order) by ``all_checks``.
CHECK_MODULES = (
    "core.checks.basic",      # 基础数据表 alone (domain §1.3)
    "core.checks.selfeval",   # 自评表 arithmetic and indicator sanity (§3.2, C11, C23–C28)
    "core.checks.accounts",   # 决算 公开01–09 identities (§4, I-01…I-09)
    "core.checks.cross",      # across documents (§5: C1–C17, C20–C22, C29–C35)
    "core.checks.narrative",  # narrative arithmetic and repeated statements (C18, C19, C30, C32–C34, C36)
)


@dataclass(frozen=True)
class CheckInfo:
    id: str
    severity: Severity
    ref: str  # where the rule comes from: "domain §5 C13", "I-01a", ...
    fn: CheckFn

    @property
    def rule(self) -> str:
        return (self.fn.__doc__ or "").strip()


_REGISTRY: dict[str, CheckInfo] = {}


def check(id: str, severity: Severity | str, ref: str = "") -> Callable[[CheckFn], CheckFn]:
    """Register a check.  ``severity`` is its default; a check may emit findings of lower severity
    (e.g. a 0.01 rounding difference as a warning) but never higher."""

    sev = Severity(severity)

    def deco(fn: CheckFn) -> CheckFn:
        if id in _REGISTRY and _REGISTRY[id].fn is not fn:
            raise ValueError(f"duplicate check id {id}")
        _REGISTRY[id] = CheckInfo(id, sev, ref, fn)
        return fn

    return deco


def all_checks() -> list[CheckInfo]:
    """Every registered check, in module order, then definition order."""
    for name in CHECK_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:  # a family not written yet must not stop the others
            if e.name != name:
                raise
    return list(_REGISTRY.values())


def run_checks(case: Case, only: set[str] | None = None) -> list[Finding]:
    """Run every check (or those in ``only``) on ``case`` and return all findings, errors first."""
    findings: list[Finding] = []
    for info in all_checks():
        if only is not None and info.id not in only:
            continue
        try:
            out = info.fn(case) or []
        except Exception as e:  # a bug in one check must not hide the findings of the others
            log.exception("check %s failed", info.id)
            out = [Finding(check=info.id, severity=Severity.INFO,
                           message=f"检查“{info.id}”未能完成（程序错误：{type(e).__name__}），请人工核对相关数据")]
        findings.extend(out)
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    findings.sort(key=lambda f: order[f.severity])
    return findings
