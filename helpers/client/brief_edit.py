"""Write a goal into a client's ``brief.yaml`` without touching anything else in the file.

The goal builder of ``04_smart_goals`` saves the strategist's draft here. The brief is the
strategist's own document, with comments, blank lines and a layout of their choosing, so the goal
is spliced into the text rather than the whole file re-emitted: every byte outside the goal's own
lines stays as it was. The new text is validated as a whole brief before it replaces the file
(atomically), and the previous version is kept as a timestamped backup beside it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from helpers.client.brief import BriefError, load_brief

__all__ = ["GoalExistsError", "SavedGoal", "save_goal", "goal_ids"]


class GoalExistsError(BriefError):
    """The brief already has a goal with this id, and replacing it was not confirmed."""


@dataclass(frozen=True)
class SavedGoal:
    """Where a goal was written: the brief, the backup of its previous version, the goal's first
    line (1-based), and whether it replaced a goal of the same id."""

    path: Path
    backup: Path
    line: int
    replaced: bool


def _compose(text: str, path: Path) -> yaml.MappingNode:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise BriefError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(root, yaml.MappingNode):
        raise BriefError(f"{path}: expected a mapping of keys at the top level")
    return root


def _goals_node(root: yaml.MappingNode) -> tuple[yaml.Node | None, yaml.Node | None]:
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "goals":
            return key, value
    return None, None


def _id_of(item: yaml.Node) -> str | None:
    if isinstance(item, yaml.MappingNode):
        for key, value in item.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "id" and isinstance(value, yaml.ScalarNode):
                return value.value
    return None


def goal_ids(path: str | Path) -> list[str]:
    """The ids of the goals in a brief, in file order."""
    path = Path(path)
    _, goals = _goals_node(_compose(path.read_text(encoding="utf-8"), path))
    if not isinstance(goals, yaml.SequenceNode):
        return []
    return [i for i in (_id_of(item) for item in goals.value) if i is not None]


def _content_end(node: yaml.Node) -> int:
    """Index just after the last character that belongs to ``node`` (a block collection's own
    end mark lies after the comments that follow it, which belong to what comes next)."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _content_end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _content_end(node.value[-1])
    return node.end_mark.index


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """Index after the newline of the line holding ``index`` (its inline comment included)."""
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _render(goal: dict[str, Any], indent: int) -> str:
    dumped = yaml.safe_dump([goal], allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return "".join(" " * indent + line for line in dumped.splitlines(keepends=True))


def splice_goal(
    text: str, goal: dict[str, Any], replace: bool = False, path: Path | None = None
) -> tuple[str, int, bool]:
    """The brief's text with ``goal`` written under ``goals:``: replacing the goal of the same id
    (when ``replace``), else appended after the last goal (or in a new ``goals:`` section).

    Returns:
        ``(text, first line of the goal (1-based), whether a goal was replaced)``.

    Raises:
        GoalExistsError: a goal has the same id and ``replace`` is false.
        BriefError: the text is not a YAML mapping.
    """
    path = path or Path("brief.yaml")
    root = _compose(text, path)
    key, goals = _goals_node(root)
    if goals is None or (isinstance(goals, yaml.ScalarNode) and goals.value in ("", "~", "null")):
        if goals is not None:  # `goals:` with nothing (null): the section is rewritten
            start = _line_start(text, key.start_mark.index)
            end = _line_end(text, goals.end_mark.index)
            head, tail = text[:start], text[end:]
        else:
            head, tail = (text if text.endswith("\n") or not text else text + "\n"), ""
        block = "goals:\n" + _render(goal, 2)
        return head + block + tail, head.count("\n") + 2, False
    if not isinstance(goals, yaml.SequenceNode):
        raise BriefError(f"{path}: 'goals' must be a list of goals")
    items = goals.value
    ids = [_id_of(item) for item in items]
    if goal["id"] in ids and not replace:
        line = items[ids.index(goal["id"])].start_mark.line + 1
        raise GoalExistsError(
            f"{path}: a goal with id {goal['id']!r} already exists (line {line}); "
            "confirm to replace it, or give the new goal another id"
        )
    if goals.flow_style:  # `goals: []` or `goals: [{...}]`: rewritten as a block list
        existing = [yaml.safe_load(yaml.serialize(item)) for item in items]
        kept = [g for g in existing if g.get("id") != goal["id"]]
        start = _line_start(text, key.start_mark.index)
        end = _line_end(text, goals.end_mark.index)
        block = "goals:\n" + "".join(_render(g, 2) for g in [*kept, goal])
        line = text[:start].count("\n") + 1 + block.count("\n") - _render(goal, 2).count("\n") + 1
        return text[:start] + block + text[end:], line, len(kept) < len(existing)
    first = items[0]
    indent = (
        first.start_mark.column - 2
        if text[first.start_mark.index - 2 : first.start_mark.index] == "- "
        else 2
    )
    indent = max(indent, 0)
    rendered = _render(goal, indent)
    if goal["id"] in ids:
        i = ids.index(goal["id"])
        start = _line_start(text, items[i].start_mark.index)
        end = _line_end(text, _content_end(items[i]))
        return text[:start] + rendered + text[end:], text[:start].count("\n") + 1, True
    end = _line_end(text, _content_end(items[-1]))
    prefix = text[:end] if text[:end].endswith("\n") else text[:end] + "\n"
    return prefix + rendered + text[end:], prefix.count("\n") + 1, False


def save_goal(
    path: str | Path, goal: dict[str, Any], replace: bool = False, now: dt.datetime | None = None
) -> SavedGoal:
    """Write ``goal`` (as the brief holds it: id, label, objective, kpi, scope, target, deadline…)
    into the brief at ``path``, after validating the whole new brief.

    Args:
        path: the client's ``brief.yaml``.
        goal: the goal's fields; ``id`` is required.
        replace: replace a goal of the same id (otherwise that is an error).
        now: the time stamped on the backup (default: now).

    Returns:
        Where it was written and the backup of the previous version
        (``brief.yaml.<YYYYMMDD-HHMMSS>.bak`` beside it).

    Raises:
        GoalExistsError: a goal has the same id and ``replace`` is false.
        BriefError: the brief with this goal would not be valid (the message lists each problem);
            the file is left untouched.
    """
    path = Path(path)
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", str(goal.get("id", ""))):
        raise BriefError(f"goal id {goal.get('id')!r}: expected letters, digits, '_', '-' or '.'")
    original = path.read_bytes()
    text, line, replaced = splice_goal(original.decode("utf-8"), goal, replace, path)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    staged = path.with_name(f".{path.name}.{stamp}.tmp")
    staged.write_text(text, encoding="utf-8")
    try:
        load_brief(staged)  # the whole brief, as `workbook check` reads it
    except BriefError as exc:
        staged.unlink(missing_ok=True)
        raise BriefError(str(exc).replace(str(staged), f"{path} (with the new goal)")) from None
    backup = path.with_name(f"{path.name}.{stamp}.bak")
    n = 1
    while backup.exists():  # two saves in one second: each previous version is kept
        n += 1
        backup = path.with_name(f"{path.name}.{stamp}-{n}.bak")
    backup.write_bytes(original)
    staged.replace(path)
    return SavedGoal(path, backup, line, replaced)
