"""An organisation's own data over the shipped kennisbank, and checking data sets (`valideer`).

Own data (`--data MAP` or SPOORWIJZER_DATA) is a folder with `partners.yaml`, `instrumenten.yaml`
and/or `cases/*.yaml` in the shipped format. An own item with the id of a shipped one replaces
it; a new id is added. Every own item carries `herkomst` ("eigen data (MAP)"), which the output
shows. The sporen, vragen, stappenplan and doelgroepen are the wegwijzer's own and stay shipped.

Own data is user input: every problem (schema and cross-references) comes back at once with
file:line and ends in a UserError (exit 2). The schema check (jsonschema, see schema.py) is only
imported here, so a plain `match` on the shipped data never pays for it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spoorwijzer import yamlio
from spoorwijzer.errors import Problem, UserError, allowed_list, did_you_mean
from spoorwijzer.kennisbank import Kennisbank, default_data_dir, load_kennisbank, shipped_kennisbank
from spoorwijzer.schema import SOORTEN

OVERLAY_FILES = ("partners.yaml", "instrumenten.yaml")
FULL_FILES = ("sporen.yaml", "vragen.yaml", "stappenplan.yaml", "doelgroepen.yaml", *OVERLAY_FILES)
OPTIONAL_FULL_FILES = ("bronnen.yaml",)
CASES = "cases/*.yaml"
# Which list of which file holds the items a cross-reference finding is about (bronnen are only titles).
LISTS = {lijst: soort for lijst, soort in SOORTEN.items() if lijst != "bronnen"}
OVERLAY_LISTS = ("partners", "nodig_voor", "instrumenten")


def herkomst(data_dir: Path) -> str:
    return f"eigen data ({data_dir})"


@dataclass
class Bestand:
    """One data file as read: its text for line numbers (composed only when a problem needs one)."""

    path: Path
    kind: str  # a key of schema.FILES
    text: str
    data: Any
    _lines: yamlio.LineIndex | None = field(default=None, repr=False)

    def line(self, path: tuple[Any, ...], key: str | None = None) -> int | None:
        from spoorwijzer.schema import line_in

        if self._lines is None:
            self._lines = yamlio.line_index(self.text, normalize_key=str)
        return line_in(self._lines, path, key)


@dataclass
class DataSet:
    """A data folder as read: files, problems so far, and where each item stands."""

    map: Path
    volledig: bool  # a whole kennisbank (with sporen.yaml), or own data over the shipped one
    bestanden: list[Bestand] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    items: dict[tuple[str, str], tuple[Bestand, tuple[Any, ...]]] = field(default_factory=dict)
    broken: set[tuple[str, tuple[Any, ...]]] = field(default_factory=set)  # (file, item path) failing the schema
    onleesbaar: bool = False  # a file could not be read at all (no YAML, a loop of aliases, ...)

    def count(self, lijst: str) -> int:
        if lijst == "cases":
            return sum(1 for b in self.bestanden if b.kind == CASES)
        return sum(len(_list_in(b.data, lijst)) for b in self.bestanden if b.kind != CASES)

    def beschrijving(self) -> str:
        if self.map == default_data_dir():
            return f"de kennisbank van spoorwijzer ({self.map})"
        if self.volledig:
            return f"volledige kennisbank in {self.map}"
        return f"eigen data in {self.map} (aanvulling op de kennisbank van spoorwijzer)"


def check_dir(path: Path, option: str = "--data") -> Path:
    """A usable data folder, or a UserError that says what is wrong."""
    if not path.exists():
        raise UserError.single(
            f"De map '{path}' bestaat niet.",
            field=option,
            allowed="een map met partners.yaml, instrumenten.yaml of cases/",
        )
    if not path.is_dir():
        raise UserError.single(
            f"'{path}' is een bestand, geen map.",
            field=option,
            allowed="een map met partners.yaml, instrumenten.yaml of cases/",
        )
    return path


def is_full(path: Path) -> bool:
    return (path / "sporen.yaml").is_file()


def read_dir(path: Path, volledig: bool) -> DataSet:
    """Read every data file of a folder: YAML, schema and duplicate ids, all problems collected."""
    from spoorwijzer.schema import check, item_path

    data_set = DataSet(path, volledig)
    wanted = FULL_FILES + OPTIONAL_FULL_FILES if volledig else OVERLAY_FILES
    try:
        entries = sorted(path.iterdir())
        cases_dir = path / "cases"
        cases = sorted(cases_dir.glob("*.yaml")) if cases_dir.is_dir() else []
    except OSError as error:  # a folder that cannot be listed (no permission, gone in between)
        data_set.problems.append(
            Problem(f"De map kan niet gelezen worden ({error.strerror or error}).", file=str(error.filename or path))
        )
        return data_set
    for entry in entries:
        if entry.suffix.lower() in (".yaml", ".yml") and entry.name not in wanted and entry.is_file():
            data_set.problems.append(_unread_file(entry, wanted, volledig))
    if cases_dir.exists() and not cases_dir.is_dir():
        data_set.problems.append(
            Problem("Dit is een bestand, geen map.", file=str(cases_dir), allowed="een map cases/ met .yaml-bestanden")
        )
    # Only regular files are read: a folder named partners.yaml is reported, and a pipe or device
    # (reading it could wait or go on forever) is not opened.
    candidates = [(path / name, name) for name in wanted if (path / name).exists()]
    candidates += [(case, CASES) for case in cases]
    files = []
    for file_path, kind in candidates:
        if file_path.is_file():
            files.append((file_path, kind))
        else:
            message = "Dit is een map, geen bestand." if file_path.is_dir() else "Dit is geen gewoon bestand."
            data_set.problems.append(Problem(message, file=str(file_path)))
    if volledig:
        for name in FULL_FILES:
            if not (path / name).exists():
                data_set.problems.append(Problem("Dit bestand ontbreekt in de kennisbank.", file=str(path / name)))
    if not volledig and not candidates:
        data_set.problems.append(
            Problem(
                "Deze map bevat geen eigen data.",
                file=str(path),
                allowed="partners.yaml, instrumenten.yaml en/of een map cases/ met één .yaml-bestand per case",
            )
        )
    for file_path, kind in files:
        name = str(file_path)
        try:
            text = yamlio.read_text(file_path)
            data, problems = _load(text, name, aliases=volledig)
        except UserError as error:
            data_set.problems.extend(error.problems)
            data_set.onleesbaar = True
            continue
        data_set.problems.extend(problems)
        bestand = Bestand(file_path, kind, text, data)
        data_set.bestanden.append(bestand)
        for at, problem in check(kind, data, name, bestand.line):
            data_set.problems.append(problem)
            data_set.broken.add((name, item_path(kind, at)))
        _note_items(data_set, bestand)
    return data_set


def _load(text: str, name: str, aliases: bool) -> tuple[Any, list[Problem]]:
    """Parse one data file; everything that keeps it from being plain data is a UserError.

    Own data may not use aliases (*naam): a loop of them never ends and a chain of them can blow a
    small file up. The wegwijzer's stappenplan uses them, so a whole kennisbank may, but no loop.
    """
    alias = _alias_problem(text, name, only_loops=aliases)
    if alias is not None:
        raise UserError([alias])
    return yamlio.load_collecting(text, name)


def _alias_problem(text: str, name: str, only_loops: bool) -> Problem | None:
    import yaml

    if "*" not in text:
        return None
    open_anchors: list[str | None] = []  # the anchors of the lists and blocks being read, inside out
    try:
        for event in yaml.parse(text, Loader=yamlio.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                open_anchors.append(event.anchor)
            elif isinstance(event, yaml.CollectionEndEvent):
                open_anchors.pop()
            elif isinstance(event, yaml.AliasEvent) and (not only_loops or event.anchor in open_anchors):
                loop = event.anchor in open_anchors
                return Problem(
                    (
                        f"De YAML-alias '*{event.anchor}' verwijst naar zichzelf (het blok of de lijst waar hij in "
                        "staat); zo'n lus kan niet gelezen worden."
                        if loop
                        else f"Een YAML-alias ('*{event.anchor}') is in eigen data niet toegestaan."
                    )
                    + " Schrijf de waarden voluit.",
                    file=name,
                    line=event.start_mark.line + 1,
                    column=event.start_mark.column + 1,
                )
    except yaml.YAMLError:
        return None  # not YAML: the loader says where and what
    return None


def _list_in(data: Any, lijst: str) -> list[Any]:
    """The top-level list `lijst` of a file, or nothing when the file or the value has another shape."""
    value = data.get(lijst) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def _unread_file(path: Path, wanted: tuple[str, ...], volledig: bool) -> Problem:
    name = path.name
    # Compare without the extension: every candidate ends in .yaml, which would make anything "close".
    stems = [w.removesuffix(".yaml") for w in wanted]
    close = did_you_mean(path.stem.lower(), stems).replace("'?", ".yaml'?")
    if not volledig and name in FULL_FILES + OPTIONAL_FULL_FILES:
        message = (
            "Dit bestand wordt niet gelezen: sporen, vragen, stappenplan, doelgroepen en bronnen komen uit de "
            "wegwijzer en staan vast; eigen data vult alleen partners, instrumenten en cases aan."
        )
    else:
        message = f"Dit bestand wordt niet gelezen.{close}"
    return Problem(message, file=str(path), allowed=allowed_list([*wanted, "cases/*.yaml"]))


def _note_items(data_set: DataSet, bestand: Bestand) -> None:
    """Remember where each item stands; an id twice in one data set is a problem."""
    entries: list[tuple[str, Any, tuple[Any, ...]]] = []
    if bestand.kind == CASES:
        if isinstance(bestand.data, dict) and isinstance(bestand.data.get("id"), str):
            case_id = bestand.data["id"]
            entries.append(("case", case_id, ()))
            if case_id != bestand.path.stem:
                data_set.problems.append(
                    Problem(
                        f"De id '{case_id}' hoort gelijk te zijn aan de bestandsnaam ('{bestand.path.stem}').",
                        file=str(bestand.path),
                        line=bestand.line(("id",)),
                        field="id",
                        onderdeel=f"case '{case_id}'",
                        allowed=f"hernoem het bestand naar {case_id}.yaml of maak de id '{bestand.path.stem}'",
                    )
                )
    elif isinstance(bestand.data, dict):
        for lijst, soort in LISTS.items():
            key = "nummer" if soort == "spoor" else "id"
            for pos, item in enumerate(_list_in(bestand.data, lijst)):
                if isinstance(item, dict) and isinstance(item.get(key), (str, int)):
                    entries.append((soort, item[key], (lijst, pos)))
    for soort, item_id, at in entries:
        first = data_set.items.get((soort, str(item_id)))
        if first is not None:
            where = f"{first[0].path}:{first[0].line(first[1])}"
            data_set.problems.append(
                Problem(
                    f"De id '{item_id}' komt twee keer voor (ook in {where}); elke {soort} heeft een eigen id.",
                    file=str(bestand.path),
                    line=bestand.line(at),
                    field="id",
                    onderdeel=f"{soort} '{item_id}'",
                )
            )
            continue
        data_set.items[(soort, str(item_id))] = (bestand, at)


def overlay(base: Kennisbank, data_set: DataSet, skip_broken: bool = False) -> Kennisbank:
    """The shipped kennisbank with the own items over it (same id replaces, new id is added).

    Items without a usable id are left out; with `skip_broken` also items that fail the schema.
    """
    label = herkomst(data_set.map)

    def merged(current: tuple[dict[str, Any], ...], own: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
        by_id = {item["id"]: item for item in current}
        for item in own:
            by_id[item["id"]] = {**item, "herkomst": label}  # dict order keeps a replaced item in its place
        return tuple(by_id.values())

    own: dict[str, list[dict[str, Any]]] = {"partners": [], "nodig_voor": [], "instrumenten": [], "cases": []}
    for bestand in data_set.bestanden:
        name = str(bestand.path)
        if bestand.kind == CASES:
            if _usable(bestand.data) and not (skip_broken and (name, ()) in data_set.broken):
                own["cases"].append(bestand.data)
            continue
        for lijst in OVERLAY_LISTS:
            for pos, item in enumerate(_list_in(bestand.data, lijst)):
                if _usable(item) and not (skip_broken and (name, (lijst, pos)) in data_set.broken):
                    own[lijst].append(item)
    return dataclasses.replace(
        base,
        partners=merged(base.partners, own["partners"]),
        nodig_voor=dict((item["id"], item) for item in merged(tuple(base.nodig_voor.values()), own["nodig_voor"])),
        instrumenten=merged(base.instrumenten, own["instrumenten"]),
        cases=merged(base.cases, own["cases"]),
    )


def _usable(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("id"), str)


def _checked_overlay(base: Kennisbank, data_set: DataSet, data_sets: list[DataSet]) -> tuple[Kennisbank, list[Problem]]:
    """Overlay and cross-check; items with wrong types can break a check, so then without them."""
    try:
        kb = overlay(base, data_set)
        return kb, cross_problems(kb, data_sets)
    except (KeyError, TypeError, ValueError, AttributeError):
        if not any(data_set.broken for data_set in data_sets):
            raise
        kb = overlay(base, data_set, skip_broken=True)
        return kb, cross_problems(kb, data_sets)


def cross_problems(kb: Kennisbank, data_sets: list[DataSet]) -> list[Problem]:
    """Cross-reference problems of a kennisbank, placed at file:line of the data set that has the item."""
    from spoorwijzer.validate import find_problems

    problems = []
    for finding in find_problems(kb):
        if finding.soort == "dubbel" or finding.schema:
            continue  # read_dir reports these: a duplicate id with both places, a missing field by the schema
        where: tuple[Bestand, tuple[Any, ...]] | None = None
        for data_set in data_sets:  # the last data set that has the item is where it came from
            where = data_set.items.get((finding.soort, finding.item), where)
        if where is None:
            problems.append(Problem(finding.message))
            continue
        bestand, at = where
        path = (*at, *finding.at)
        key = None
        if path and path[-1] == "<key>":
            path, key = path[:-2], str(path[-2])
        message = finding.message.split(": ", 1)[-1]
        problems.append(
            Problem(
                message[:1].upper() + message[1:] + ".",
                file=str(bestand.path),
                line=bestand.line(path, key),
                onderdeel=finding.message.split(": ", 1)[0],
            )
        )
    return problems


def load_own(data_dir: Path) -> Kennisbank:
    """The shipped kennisbank with an organisation's own data over it; any problem raises UserError."""
    check_dir(data_dir)
    if is_full(data_dir):
        raise UserError.single(
            "Deze map is een volledige kennisbank (met sporen.yaml). Eigen data vult alleen partners, "
            "instrumenten en cases aan: zet alleen partners.yaml, instrumenten.yaml en cases/ in de map.",
            file=str(data_dir),
            field="--data",
        )
    data_set = read_dir(data_dir, volledig=False)
    kb, cross = _checked_overlay(shipped_kennisbank(), data_set, [data_set])
    problems = data_set.problems + cross
    if problems:
        raise UserError(problems)
    return kb


@dataclass
class Rapport:
    """What `spoorwijzer valideer` checked and found."""

    gecontroleerd: list[DataSet]
    problems: list[Problem]

    opmerkingen: list[str] = field(default_factory=list)  # to show beside the summary, e.g. what was not used

    @property
    def in_shipped(self) -> bool:
        """All problems are in the shipped data: a bug in spoorwijzer, not the user's data."""
        # A path comparison, not a text one: "data-eigen" next to "data" is the user's.
        shipped = default_data_dir().resolve()
        return bool(self.problems) and all(
            p.file is not None and Path(p.file).resolve().is_relative_to(shipped) for p in self.problems
        )

    def per_file(self) -> dict[str, list[Problem]]:
        grouped: dict[str, list[Problem]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.file or "", []).append(problem)
        for problems in grouped.values():
            problems.sort(key=lambda p: p.line or 0)
        return grouped


def valideer(map_: Path | None, eigen: Path | None) -> Rapport:
    """Check a data folder (whole kennisbank or own data) or, without one, the shipped data (+ own data).

    `eigen` is the run's --data (or SPOORWIJZER_DATA). With a MAP only MAP is checked: a folder
    named on the command line is what the user asks about, and the environment variable can be
    set without them thinking of it. The report then says that --data was not used.
    """
    data_sets: list[DataSet] = []
    problems: list[Problem] = []
    opmerkingen: list[str] = []
    if map_ is not None:
        check_dir(map_, option="MAP")
        if eigen is not None and eigen.resolve() != map_.resolve():
            opmerkingen.append(
                f"Let op: de eigen data van --data {eigen} (of SPOORWIJZER_DATA) is niet gecontroleerd, alleen de "
                f"map {map_}. Controleer die apart met: spoorwijzer valideer {eigen}"
            )
    base_dir = map_ if map_ is not None and is_full(map_) else default_data_dir()
    own_dir = eigen if map_ is None else (None if is_full(map_) else map_)
    base_set = read_dir(base_dir, volledig=True)
    problems += base_set.problems
    data_sets.append(base_set)
    kb: Kennisbank | None = None
    if not base_set.onleesbaar:  # a file that is no data (or loops) is not read a second time
        try:
            kb = load_kennisbank(base_dir)
        except Exception as error:  # structure broken: the schema problems above say where
            if not base_set.problems:
                problems.append(Problem(f"De kennisbank kan niet gelezen worden: {error}", file=str(base_dir)))
    if own_dir is not None:
        check_dir(own_dir)
        own_set = read_dir(own_dir, volledig=False)
        problems += own_set.problems
        data_sets.append(own_set)
        if kb is not None:
            kb, cross = _checked_overlay(kb, own_set, data_sets)
            return Rapport(data_sets, problems + cross, opmerkingen)
    if kb is not None:
        try:
            problems += cross_problems(kb, data_sets)
        except (KeyError, TypeError, ValueError, AttributeError):
            # Wrong types stop some cross-checks of a whole kennisbank; the schema problems name them.
            if not problems:
                raise
    return Rapport(data_sets, problems, opmerkingen)
