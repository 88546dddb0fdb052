"""MyST-only markup turned into plain Markdown that JupyterLab and Colab show correctly.

The book's chapters are MyST Markdown; a notebook handed to a student is read by plain
Markdown renderers. :class:`PlainMarkdown` converts, using what the book itself resolved
(``classroom.json``, written by ``book/_ext/classroom.py``) and the values a chapter
computed (glued in its executed notebook):

* ``{eval}`txt.name``` and ``{glue:text}`name:fmt``` become the computed text;
* ``{cite:p}`` / ``{cite:t}`` become "(Author, year)" / "Author (year)", formatted by
  sphinxcontrib-bibtex with the book's style;
* ``{numref}``, ``{ref}``, ``{doc}`` become their text ("Chapter 7", "Exercise 7.2",
  a page title), linked to the hosted book when ``html_baseurl`` is configured;
* ``{term}``, ``{abbr}``, ``{download}`` become their text; ``{math}`` becomes ``$...$``;
* admonitions become block quotes with a bold title; a ``dropdown`` admonition (such as
  *What you should see*) becomes an HTML ``<details>`` block, which notebooks show
  collapsed; ``{math}`` blocks become ``$$...$$``;
* targets (``(label)=``), comments (``% ...``) and equation labels are dropped.

Anything else MyST-only raises :class:`UnknownMarkupError`, so new markup in a chapter fails
the tests instead of reaching students as raw text.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

ROLE = re.compile(r"\{(?P<name>[a-z][\w:-]*)\}`(?P<text>[^`]*)`")
TITLE_AND_TARGET = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w-]+)\}[ \t]*"
                        r"(?P<argument>.*)$")
CODE_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
TARGET_LINE = re.compile(r"^\([\w:.-]+\)=[ \t]*$")
COMMENT_LINE = re.compile(r"^%( |$)")
EQUATION_LABEL = re.compile(r"(\$\$)[ \t]*\([\w:.-]+\)[ \t]*$")
OPTION_LINE = re.compile(r"^:[\w-]+:")
ADMONITIONS = {"admonition", "note", "tip", "important", "warning", "caution", "attention",
               "danger", "error", "hint", "seealso"}


class UnknownMarkupError(ValueError):
    """MyST markup this converter does not know how to show in a plain notebook."""


def glued_values(executed, glue_file: Path | None = None) -> dict[str, str]:
    """Values glued in an executed notebook (myst-nb ``glue``): name -> ``text/plain``.

    myst-nb moves them out of the executed notebook it writes into ``<page>.glue.json``
    beside it; outputs still in the notebook count too.
    """
    values = {}
    if glue_file is not None and glue_file.exists():
        for name, output in json.loads(glue_file.read_text(encoding="utf-8")).items():
            if "text/plain" in output.get("data", {}):
                values[name] = output["data"]["text/plain"]
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is not None and "text/plain" in output.get("data", {}):
                values[name] = output["data"]["text/plain"]
    return values


@dataclass
class PlainMarkdown:
    """Converts one page's MyST Markdown (see the module docstring)."""

    resolved: dict
    values: dict[str, str]
    docname: str
    links: bool = field(init=False)

    def __post_init__(self) -> None:
        self.links = bool(self.resolved.get("baseurl"))

    # --- blocks ---------------------------------------------------------------------------
    def convert(self, text: str) -> str:
        """Plain Markdown for ``text`` (MyST)."""
        lines = text.split("\n")
        out: list[str] = []
        paragraph: list[str] = []  # roles may run over a line break: convert by paragraph

        def flush() -> None:
            if paragraph:
                out.extend(self.inline("\n".join(paragraph)).split("\n"))
                paragraph.clear()

        i = 0
        while i < len(lines):
            line = lines[i]
            code = CODE_FENCE.match(line)
            directive = FENCE_OPEN.match(line)
            if directive:
                flush()
                end = self._closing(lines, i, directive["fence"])
                out += self.directive(directive["name"], directive["argument"].strip(),
                                      lines[i + 1:end]).split("\n")
                i = end + 1
                continue
            if code:  # an ordinary code block: copied as it is
                flush()
                end = self._closing(lines, i, code["fence"], prefix=True)
                out += lines[i:end + 1]
                i = end + 1
                continue
            if not (TARGET_LINE.match(line) or COMMENT_LINE.match(line)):
                paragraph.append(EQUATION_LABEL.sub(r"\1", line))
            if not line.strip():
                flush()
            i += 1
        flush()
        return "\n".join(out)

    @staticmethod
    def _closing(lines: list[str], start: int, fence: str, prefix: bool = False) -> int:
        for j in range(start + 1, len(lines)):
            stripped = lines[j].strip()
            if stripped == fence or (prefix and stripped.startswith(fence)
                                     and not stripped.strip(fence[0])):
                return j
        raise UnknownMarkupError(f"{fence} opened but not closed: {lines[start]!r}")

    def directive(self, name: str, argument: str, body: list[str]) -> str:
        options, body = self._options(body)
        content = self.convert("\n".join(body)).strip("\n")
        if name in ADMONITIONS:
            title = self.inline(argument) if name == "admonition" else name.capitalize()
            if "dropdown" in options.get("class", "").split():
                return (f"<details>\n<summary><b>{title}</b></summary>\n\n{content}\n\n"
                        "</details>\n")
            quoted = "\n".join(f"> {line}".rstrip() for line in content.split("\n"))
            return f"> **{title}**\n>\n{quoted}\n"
        if name == "math":
            return f"$$\n{chr(10).join(body).strip()}\n$$"
        if name in ("code-block", "code", "code-cell"):
            return f"```{argument}\n{chr(10).join(body)}\n```"
        if name == "bibliography":
            return ""
        raise UnknownMarkupError(f"{self.docname}: no plain-Markdown form for the {{{name}}} "
                            "directive (add one to tools/classroom/markdown.py)")

    @staticmethod
    def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
        options, index = {}, 0
        if body and body[0].strip() == "---":  # YAML options block
            end = body.index("---", 1)
            for line in body[1:end]:
                key, _, value = line.partition(":")
                options[key.strip()] = value.strip()
            return options, body[end + 1:]
        while index < len(body) and OPTION_LINE.match(body[index]):
            key, _, value = body[index][1:].partition(":")
            options[key.strip()] = value.strip()
            index += 1
        return options, body[index:]

    # --- roles ----------------------------------------------------------------------------
    def inline(self, text: str) -> str:
        return ROLE.sub(lambda m: self.role(m["name"], m["text"]), text)

    def role(self, name: str, text: str) -> str:
        if name == "eval":
            return self.value(text)
        if name in ("glue", "glue:text"):
            key, _, spec = text.partition(":")
            return format(ast.literal_eval(self.value(key)), spec) if spec else self.value(key)
        if name.startswith("cite"):
            role = name.partition(":")[2] or "p"
            return self.resolved["citations"].get(f"{role}:{text}", f"({text})")
        if name == "numref":
            return self.numref(text)
        if name == "ref":
            return self.ref(text)
        if name == "doc":
            return self.doc(text)
        if name in ("term", "abbr", "download"):
            title, target = split_title(text)
            return title or target
        if name == "math":
            return f"${text}$"
        raise UnknownMarkupError(f"{self.docname}: no plain-Markdown form for the {{{name}}} role")

    def value(self, name: str) -> str:
        if name not in self.values:
            raise UnknownMarkupError(f"{self.docname}: no computed value {name!r} in the executed "
                                "notebook")
        return self.values[name]

    def label(self, label: str) -> dict:
        try:
            return self.resolved["labels"][label]
        except KeyError:
            raise UnknownMarkupError(f"{self.docname}: unknown label {label!r}") from None

    def numref(self, text: str) -> str:
        title, label = split_title(text)
        target = self.label(label)
        template = title or self.resolved["numfig_format"].get(target["kind"], "%s")
        shown = template.replace("%s", target["number"]).replace("{number}", target["number"])
        return self.link(shown, target["docname"], target["anchor"])

    def ref(self, text: str) -> str:
        title, label = split_title(text)
        target = self.label(label)
        return self.link(title or target["title"], target["docname"], target["anchor"])

    def doc(self, text: str) -> str:
        title, target = split_title(text)
        docname = join_docname(self.docname, target)
        if docname not in self.resolved["docs"]:
            raise UnknownMarkupError(f"{self.docname}: unknown page {target!r}")
        return self.link(title or self.resolved["docs"][docname]["title"], docname)

    def link(self, text: str, docname: str, anchor: str | None = None) -> str:
        """``text``, linked to the hosted book when a base URL is configured."""
        if not self.links:
            return text
        url = f"{self.resolved['baseurl'].rstrip('/')}/{docname}.html"
        return f"[{text}]({url}#{anchor})" if anchor else f"[{text}]({url})"


def split_title(text: str) -> tuple[str, str]:
    """``"Chapter %s <ch-lab>"`` -> ``("Chapter %s", "ch-lab")``; ``"ch-lab"`` -> ``("", ...)``."""
    match = TITLE_AND_TARGET.match(text.strip())
    return (match["title"], match["target"]) if match else ("", text.strip())


def join_docname(current: str, target: str) -> str:
    """A ``{doc}`` target relative to the current page, as Sphinx resolves it."""
    if target.startswith("/"):
        return target.lstrip("/")
    folder = current.rpartition("/")[0]
    parts = (folder.split("/") if folder else []) + target.split("/")
    resolved: list[str] = []
    for part in parts:
        if part == "..":
            resolved.pop()
        elif part not in ("", "."):
            resolved.append(part)
    return "/".join(resolved)
