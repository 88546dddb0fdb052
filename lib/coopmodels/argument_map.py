"""The essay's arguments as a cause-and-effect graph: held here as data, drawn by charts.

Nodes are quantities the book models; edges say "more of this changes that", with the
sign of the effect the argument claims and the chapter that models it. Positions (x, y)
are fixed by hand so the map reads left to right: cooperation, what it does, and the
outcomes readers care about.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    x: float
    y: float
    chapter: str  # document the node links to, e.g. "02_information_sharing"
    kind: str     # "policy", "mechanism" or "outcome"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    sign: str     # "+" (more leads to more) or "-" (more leads to less)
    argument: str  # the essay's argument, A to G


NODES = (
    Node("cooperation", "Cooperation with ICE", 0, 3.3, "01_the_question", "policy"),
    Node("task_forces", "Criminal task forces", 0, 5.3, "03_transnational_crime",
         "policy"),
    Node("safeguards", "Safeguards", 0, 0.6, "08_safeguards_lab", "policy"),
    Node("identification", "People identified and removed", 2.2, 5.5,
         "02_information_sharing", "mechanism"),
    Node("expertise", "Federal expertise", 2.2, 4.4, "03_transnational_crime", "mechanism"),
    Node("trust", "Community trust", 2.9, 3.3, "04_trust_and_reporting", "mechanism"),
    Node("officer_time", "Officer time and money diverted", 2.2, 2.2, "05_police_capacity",
         "mechanism"),
    Node("profiling", "Risk of profiling", 2.2, 1.1, "06_profiling", "mechanism"),
    Node("court_load", "Immigration-court caseload", 2.9, 0.0, "07_court_backlog",
         "mechanism"),
    Node("crime", "Crime and victimisation", 4.7, 4.8, "04_trust_and_reporting", "outcome"),
    Node("reporting", "Crimes reported and solved", 4.7, 3.6, "04_trust_and_reporting",
         "outcome"),
    Node("response", "Emergency response", 4.7, 2.2, "05_police_capacity", "outcome"),
    Node("fairness", "Equal treatment", 4.7, 1.1, "06_profiling", "outcome"),
    Node("court_wait", "Waits in immigration court", 4.7, 0.0, "07_court_backlog", "outcome"),
)

EDGES = (
    Edge("cooperation", "identification", "+", "A"),
    Edge("cooperation", "expertise", "+", "B"),
    Edge("task_forces", "expertise", "+", "B"),
    Edge("cooperation", "trust", "-", "C"),
    Edge("cooperation", "officer_time", "+", "D"),
    Edge("cooperation", "profiling", "+", "E"),
    Edge("cooperation", "court_load", "+", "F"),
    Edge("identification", "crime", "-", "A"),
    Edge("identification", "court_load", "+", "F"),
    Edge("expertise", "reporting", "+", "B"),
    Edge("trust", "reporting", "+", "C"),
    Edge("reporting", "crime", "-", "C"),
    Edge("officer_time", "response", "-", "D"),
    Edge("profiling", "fairness", "-", "E"),
    Edge("profiling", "trust", "-", "E"),
    Edge("court_load", "court_wait", "+", "F"),
    Edge("safeguards", "trust", "+", "G"),
    Edge("safeguards", "profiling", "-", "G"),
    Edge("safeguards", "identification", "-", "G"),
    Edge("safeguards", "officer_time", "-", "G"),
)


def paths(source: str, target: str) -> pd.DataFrame:
    """Every path along the map's arrows from ``source`` to ``target``, with its sign.

    A path's sign is the product of its arrows' signs: "+" if more of the source leads,
    along that path, to more of the target; "-" if to less. Returns one row per path
    (``path``: the node labels joined by " → ", ``sign``, ``arguments``: the essay's
    arguments it passes through), shortest first.
    """
    keys = {node.key for node in NODES}
    for name, key in (("source", source), ("target", target)):
        if key not in keys:
            raise ValueError(f"{name} must be one of {', '.join(sorted(keys))}; got {key!r}")
    label = {node.key: node.label for node in NODES}
    found = []

    def walk(node: str, route: list[Edge]) -> None:
        if node == target and route:
            sign = "-" if sum(edge.sign == "-" for edge in route) % 2 else "+"
            found.append({"path": " → ".join([label[source]] + [label[e.target] for e in route]),
                          "sign": sign,
                          "arguments": "".join(dict.fromkeys(e.argument for e in route)),
                          "length": len(route)})
            return
        visited = {source} | {edge.target for edge in route}
        for edge in EDGES:
            if edge.source == node and edge.target not in visited - {target}:
                walk(edge.target, [*route, edge])

    walk(source, [])
    frame = pd.DataFrame(found, columns=["path", "sign", "arguments", "length"])
    return frame.sort_values(["length", "path"]).drop(columns="length").reset_index(drop=True)


def nodes_frame() -> pd.DataFrame:
    """One row per node: key, label, position, chapter page, kind."""
    return pd.DataFrame([node.__dict__ for node in NODES])


def edges_frame() -> pd.DataFrame:
    """One row per edge, with the positions of both ends (for drawing)."""
    where = {node.key: node for node in NODES}
    return pd.DataFrame([{
        "source": edge.source, "target": edge.target, "sign": edge.sign,
        "argument": edge.argument,
        "x": where[edge.source].x, "y": where[edge.source].y,
        "x2": where[edge.target].x, "y2": where[edge.target].y,
        "text": f"{where[edge.source].label} → {where[edge.target].label} ({edge.sign})",
    } for edge in EDGES])
