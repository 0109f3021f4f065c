"""The checklist as Markdown (app, helpdesk reply) or plain text (terminal), with the numbered rule sources."""

from __future__ import annotations

from assistant.check.types import ADA, KURANG, SAMPLE_NOTE, CheckResult, Requirement

MARKS = {ADA: "✓ ada", KURANG: "! kurang", "tidak ada": "✗ tidak ada"}
GROUPS = {"bagian": "Bagian wajib", "lampiran": "Lampiran wajib", "batas": "Batas dan ketentuan angka"}
KIND_NAMES = {"proposal": "proposal", "master-plan": "master plan"}


def _where(page: int | None, heading: str | None) -> str:
    bits = [f"hlm. {page}" if page else "", f"“{heading}”" if heading else ""]
    return ", ".join(b for b in bits if b)


def source_line(n: int, requirement: Requirement) -> str:
    s = requirement.source
    page = f", hlm. {s.page}" if s.page else ""
    note = f" — {SAMPLE_NOTE}" if s.status == "contoh" else ""
    return f"[{n}] {s.title}, {s.section}{page} ({s.year or '-'}){note}"


def to_markdown(result: CheckResult) -> str:
    s = result.summary
    lines = [
        f"**Hasil pemeriksaan {KIND_NAMES.get(result.kind, result.kind)}: {result.file}**",
        "",
        f"{s['ada']} ada · {s['kurang']} kurang · {s['tidak_ada']} tidak ada",
    ]
    for group, title in GROUPS.items():
        items = [i for i in result.items if i.requirement.group == group]
        if not items:
            continue
        lines += ["", f"**{title}**", ""]
        for item in items:
            where = _where(item.page, item.heading)
            found = f" — {where}" if where and item.status != "tidak ada" else ""
            lines.append(f"- {MARKS[item.status]}: {item.requirement.label} [{item.n}]{found}  ")
            lines.append(f"  {item.evidence}")
    lines += ["", "**Sumber ketentuan**", ""]
    seen: set[int] = set()
    for item in result.items:
        if item.n not in seen:
            seen.add(item.n)
            lines.append(f"- {source_line(item.n, item.requirement)}")
    if any(i.requirement.source.status == "contoh" for i in result.items):
        lines += ["", f"_Catatan: ketentuan bertanda {SAMPLE_NOTE}; pastikan dengan panduan resmi program._"]
    return "\n".join(lines) + "\n"


def to_text(result: CheckResult) -> str:
    """Plain text for a terminal or an e-mail reply: the Markdown without its emphasis marks."""
    return to_markdown(result).replace("**", "").replace("_Catatan", "Catatan").replace("program._", "program.")


def requirements_text(requirements: tuple[Requirement, ...], kind: str) -> str:
    """What the checker believes the rules require, with where each item comes from."""
    lines = [f"Ketentuan {KIND_NAMES.get(kind, kind)} yang dibaca dari indeks:"]
    numbers: dict[object, int] = {}
    for r in requirements:
        n = numbers.setdefault(r.source, len(numbers) + 1)
        limits = "; ".join(f"{lim.op} {lim.value:g} {lim.unit}" for lim in r.limits)
        lines.append(f"  [{n}] {GROUPS[r.group]:<26} {r.label}" + (f"  ({limits})" if limits else ""))
    lines.append("Sumber:")
    for source, n in numbers.items():
        first = next(r for r in requirements if r.source == source)
        lines.append("  " + source_line(n, first))
    return "\n".join(lines) + "\n"
