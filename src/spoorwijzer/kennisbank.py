"""The knowledge base: sporen, vragen, doelgroepen, partners, instrumenten, cases, stappenplan.

Everything the tool knows is read here from `data/`; the rest of the code knows no spoor,
question or partner by name. The data ships inside the wheel (`spoorwijzer/data`); in a
source checkout it is the repository's `data/` folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from spoorwijzer import yamlio
from spoorwijzer.errors import DataError, UserError
from spoorwijzer.kbcache import CachedReader
from spoorwijzer.text import one_line

QUESTION_TYPES = ("keuze", "janee", "meerkeuze")
# Where an item comes from when it has no `herkomst` of its own (own data sets one, see eigendata.py).
HERKOMST_SPOORWIJZER = "spoorwijzer"


def herkomst_of(item: dict[str, Any]) -> str:
    return str(item.get("herkomst", HERKOMST_SPOORWIJZER))


def eigen_herkomst(item: dict[str, Any]) -> str | None:
    """'eigen data (MAP)' for an item from an organisation's own data; None for the shipped ones,
    which need no label in the output."""
    herkomst = herkomst_of(item)
    return None if herkomst == HERKOMST_SPOORWIJZER else herkomst


def default_data_dir() -> Path:
    packaged = Path(__file__).parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


@dataclass(frozen=True)
class Spoor:
    nummer: int
    id: str
    naam: str
    kort: str
    kenmerken: frozenset[str]
    instroom: frozenset[str]
    raw: dict[str, Any]
    instroom_waar: dict[str, str] = field(default_factory=dict)  # doelgroep -> where the wegwijzer says so


EFFECT_SOORTEN = ("stappenplan", "sporentabel", "afgeleid")


@dataclass(frozen=True, slots=True)
class Effect:
    sporen: tuple[int, ...]
    gewicht: float
    reden: str
    bron: str
    soort: str = "sporentabel"  # stappenplan | sporentabel | afgeleid


@dataclass(frozen=True, slots=True)
class Antwoord:
    waarde: str
    label: str
    synoniemen: tuple[str, ...]
    effecten: tuple[Effect, ...]
    regel: str = ""  # the stappenplan's own line for this answer, word for word


@dataclass(frozen=True, slots=True)
class InstroomEffect:
    binnen_gewicht: float
    binnen_reden: str
    buiten_gewicht: float
    buiten_reden: str
    bron: str
    buiten_soorten: frozenset[str] | None = None  # doelgroep soorten that weaken a spoor; None: all


@dataclass(frozen=True, slots=True)
class Vraag:
    id: str
    vraag: str
    toelichting: str
    type: str
    synoniemen: tuple[str, ...]
    antwoorden: tuple[Antwoord, ...]
    instroom_effect: InstroomEffect | None = None

    def waarden(self) -> tuple[str, ...]:
        return tuple(a.waarde for a in self.antwoorden)


@dataclass(frozen=True, slots=True)
class Waarschuwing:
    id: str
    als: dict[str, str]
    spoor_kenmerk: str | None
    tekst: str
    bron: str


@dataclass
class Kennisbank:
    data_dir: Path
    sporen: tuple[Spoor, ...]
    vragen: tuple[Vraag, ...]
    doelgroepen: dict[str, dict[str, Any]]
    partners: tuple[dict[str, Any], ...]
    nodig_voor: dict[str, dict[str, Any]]
    instrumenten: tuple[dict[str, Any], ...]
    cases: tuple[dict[str, Any], ...]
    startpunten: tuple[dict[str, Any], ...]
    waarschuwingen: tuple[Waarschuwing, ...]
    bronnen: dict[str, str] = field(default_factory=dict)  # source file -> title a user understands
    # A runner-up at most this many points below the best spoor also gets partners, instruments, cases.
    tweede_spoor_marge: float = 1.0
    _sporen_by_nummer: dict[int, Spoor] = field(default_factory=dict, repr=False, init=False)
    _vragen_by_id: dict[str, Vraag] = field(default_factory=dict, repr=False, init=False)

    def __post_init__(self) -> None:
        self._sporen_by_nummer = {s.nummer: s for s in self.sporen}
        self._vragen_by_id = {v.id: v for v in self.vragen}

    def spoor(self, nummer: int) -> Spoor:
        return self._sporen_by_nummer[nummer]

    def has_spoor(self, nummer: int) -> bool:
        return nummer in self._sporen_by_nummer

    def vraag(self, vraag_id: str) -> Vraag:
        return self._vragen_by_id[vraag_id]

    def vraag_teksten(self) -> dict[str, str]:
        """Question id (the field of a werkplek file) → the question as the wegwijzer asks it."""
        return {vraag.id: vraag.vraag for vraag in self.vragen}

    def startpunt(self, startpunt_id: str) -> dict[str, Any]:
        for startpunt in self.startpunten:
            if startpunt["id"] == startpunt_id:
                return startpunt
        raise KeyError(startpunt_id)

    def bron_titel(self, bron: object) -> str:
        """A `bron:` value for the screen: known source files by their title."""
        items = bron if isinstance(bron, list) else [bron]
        text = "; ".join(str(b) for b in items if b)
        for file_name, titel in self.bronnen.items():
            text = text.replace(file_name, titel)
        return text

    def case(self, case_id: str) -> dict[str, Any] | None:
        for case in self.cases:
            if case["id"] == case_id:
                return case
        return None


def _read(path: Path) -> Any:
    try:
        return yamlio.load(yamlio.read_text(path), str(path))
    except UserError as exc:
        raise DataError(str(exc)) from None


def _bron(item: dict[str, Any]) -> str:
    bron = item.get("bron", "")
    return "; ".join(bron) if isinstance(bron, list) else str(bron)


def _parse_spoor(raw: dict[str, Any]) -> Spoor:
    waar: dict[str, list[str]] = {}
    for groep in raw.get("kenmerken_doelgroep", {}).get("instroom", []):
        for doelgroep in groep.get("doelgroepen", []):
            waar.setdefault(str(doelgroep), []).append(str(groep.get("waar", "de wegwijzer")))
    instroom = set(waar)
    return Spoor(
        nummer=int(raw["nummer"]),
        id=str(raw["id"]),
        naam=str(raw["naam"]),
        kort=str(raw.get("kort", "")),
        kenmerken=frozenset(raw.get("kenmerken", [])),
        instroom=frozenset(instroom),
        raw=raw,
        instroom_waar={d: " en ".join(dict.fromkeys(w)) for d, w in waar.items()},
    )


def _parse_effect(raw: dict[str, Any]) -> Effect:
    bron = _bron(raw)
    soort = str(raw.get("soort") or ("stappenplan" if "stappenplan stap" in bron else "sporentabel"))
    if soort not in EFFECT_SOORTEN:
        raise DataError(f"effect '{raw.get('reden')}': onbekende soort '{soort}'")
    return Effect(
        sporen=tuple(int(n) for n in raw["sporen"]),
        gewicht=float(raw["gewicht"]),
        reden=str(raw["reden"]),
        bron=bron,
        soort=soort,
    )


def _parse_vraag(raw: dict[str, Any]) -> Vraag:
    vraag_type = raw.get("type", "keuze")
    if vraag_type not in QUESTION_TYPES:
        raise DataError(f"vraag '{raw.get('id')}': onbekend type '{vraag_type}'")
    antwoorden = tuple(
        Antwoord(
            waarde=str(a["waarde"]),
            label=str(a.get("label", a["waarde"])),
            synoniemen=tuple(str(s).lower() for s in a.get("synoniemen", [])),
            effecten=tuple(_parse_effect(e) for e in a.get("effecten", [])),
            regel=str(a.get("regel", "")),
        )
        for a in raw.get("antwoorden", [])
    )
    instroom = None
    if "instroom_effect" in raw:
        ie = raw["instroom_effect"]
        instroom = InstroomEffect(
            binnen_gewicht=float(ie["binnen"]["gewicht"]),
            binnen_reden=str(ie["binnen"]["reden"]),
            buiten_gewicht=float(ie["buiten"]["gewicht"]),
            buiten_reden=str(ie["buiten"]["reden"]),
            bron=_bron(ie),
            buiten_soorten=frozenset(ie["buiten"]["soorten"]) if "soorten" in ie["buiten"] else None,
        )
    return Vraag(
        id=str(raw["id"]),
        vraag=str(raw["vraag"]),
        toelichting=str(raw.get("toelichting", "")),
        type=vraag_type,
        synoniemen=tuple(str(s).lower() for s in raw.get("synoniemen", [])),
        antwoorden=antwoorden,
        instroom_effect=instroom,
    )


def load_kennisbank(data_dir: Path | None = None) -> Kennisbank:
    """Read and parse the knowledge base; a structural mistake raises DataError naming the file."""
    base = data_dir or default_data_dir()
    # Parsed files come from a cache while their bytes are unchanged (kbcache: never stale).
    read = CachedReader(base, _read)
    current = base
    try:
        current = base / "sporen.yaml"
        sporen = tuple(sorted((_parse_spoor(s) for s in read(current)["sporen"]), key=lambda s: s.nummer))
        current = base / "vragen.yaml"
        vragen_raw = read(current)
        vragen = tuple(_parse_vraag(v) for v in vragen_raw["vragen"])
        waarschuwingen = tuple(
            Waarschuwing(
                id=str(w["id"]),
                als={str(k): str(v) for k, v in w.get("als", {}).items()},
                spoor_kenmerk=w.get("spoor_kenmerk"),
                tekst=one_line(w["tekst"]),
                bron=_bron(w),
            )
            for w in vragen_raw.get("waarschuwingen", [])
        )
        current = base / "doelgroepen.yaml"
        doelgroepen = {str(d["id"]): d for d in read(current)["doelgroepen"]}
        current = base / "partners.yaml"
        partners_raw = read(current)
        partners = tuple(partners_raw["partners"])
        nodig_voor = {str(n["id"]): n for n in partners_raw.get("nodig_voor", [])}
        current = base / "instrumenten.yaml"
        instrumenten = tuple(read(current)["instrumenten"])
        current = base / "stappenplan.yaml"
        startpunten = tuple(read(current)["startpunten"])
        current = base / "bronnen.yaml"
        bronnen = {str(b["id"]): str(b["titel"]) for b in read(current)["bronnen"]} if current.exists() else {}
        cases = []
        for case_path in sorted((base / "cases").glob("*.yaml")):
            current = case_path
            case = read(case_path)
            if not isinstance(case, dict) or "id" not in case:
                raise DataError(f"{case_path}: een case moet een mapping met een 'id' zijn")
            cases.append(case)
    except DataError:
        raise
    except FileNotFoundError as exc:
        raise DataError(f"{exc.filename}: bestand ontbreekt") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(f"{current}: onverwachte opbouw ({exc!r})") from None
    read.save()
    return Kennisbank(
        data_dir=base,
        sporen=sporen,
        vragen=vragen,
        doelgroepen=doelgroepen,
        partners=partners,
        nodig_voor=nodig_voor,
        instrumenten=instrumenten,
        cases=tuple(cases),
        startpunten=startpunten,
        waarschuwingen=waarschuwingen,
        bronnen=bronnen,
        tweede_spoor_marge=float(vragen_raw.get("instellingen", {}).get("tweede_spoor_marge", 1.0)),
    )


@cache
def shipped_kennisbank() -> Kennisbank:
    """The shipped knowledge base, read once per process."""
    return load_kennisbank()
