#!/usr/bin/env python3
"""Runs the same commands with two ketacalc binaries and compares what they print.

usage: tests/compare/compare.py OLD_BINARY NEW_BINARY [--list] [--only SUBSTRING] [-v]

A refactor that must not change what ketacalc prints (issue 21) is checked by running
every command below with the binary from before the change (built once at the branch
point and kept outside `target/`) and with the one after, and comparing standard output,
standard error, the exit status and any file written with `-o`, byte for byte.

The one documented addition to the JSON (`strengths[].other_basis.per_dose`, docs/json.md)
is taken out of the new document before it is compared; where it is absent the bytes are
compared as they are. The old output's known wording bugs (`KNOWN_FIXES`, each explained)
are corrected in it before it is compared.

The commands (run from the repository root, with a cleared environment holding only
`PATH` and `NO_COLOR=1`, unless a command sets more):

- every built-in formula in every worksheet format (table, markdown, html, csv, json)
  and every label format (text, html, json), at its reference batch and at others:
  quantities, overages, fills, strengths, lots, assays, losses on drying, expiries,
  vendors, batch ids, balances; infusions at several weights, doses, bags, durations,
  times, ceilings; `--explain`; `--width`;
- `show` and `list` in both formats; `validate` in every format over the built-ins,
  the fixtures, `tests/bad` and `../shared/cases`;
- every calculator command of tests/all/tools.rs, as text and JSON;
- the worked cases of `../shared/cases` and `tests/fixtures/cases`, in every format;
- batch files with `--from`;
- the bad-input corpus `tests/bad` (its `setup` lines included), and further usage
  and input errors;
- `schema`, `completions`, `man`, `--help`, `--version`.

Exits 0 when every command prints the same with both binaries, else 1 with the
differences.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = (ROOT / ".." / "shared").resolve()

BUILT_IN = sorted(p.stem for p in (ROOT / "formulas").glob("*.toml"))
WORKSHEET_FORMATS = ["table", "markdown", "html", "csv", "json"]
LABEL_FORMATS = ["text", "html", "json"]
DATE = ["--date", "2026-11-26"]


class Cmd:
    def __init__(self, args, cwd=ROOT, env=None, json_out=False, outfile=None, setup=None):
        self.args = [str(a) for a in args]
        self.cwd = Path(cwd)
        self.env = env or {}
        self.json_out = json_out
        self.outfile = outfile  # a name in the scratch folder that `-o` writes
        self.setup = setup  # a function(tmp) that prepares the scratch folder

    def key(self):
        extra = " ".join(f"{k}={v}" for k, v in sorted(self.env.items()))
        where = "" if self.cwd == ROOT else f"[{os.path.relpath(self.cwd, ROOT)}] "
        return f"{where}{extra + ' ' if extra else ''}ketacalc {' '.join(self.args)}"


def is_json(args):
    if args[:3] == ["schema", "--kind", "output"]:
        return True
    if "json" not in args:
        return False
    i = args.index("json")
    return i > 0 and args[i - 1] == "--format"


def batch_variants(formula):
    """Batch options for a built-in formula: its reference batch and others."""
    v = [[]]
    if formula.startswith("ketamine-iv-"):
        v = [
            ["--weight", "70kg", "--time", "09:00"],
            ["--weight", "154lb", "--time", "09:00"],
            ["--weight", "1.5kg", "--time", "21:30"],
            ["--weight", "83.4kg", "--time", "08:15"],
            ["--weight", "120kg", "--time", "10:00"],
            ["--weight", "300kg", "--time", "10:00"],
            ["--weight", "70kg", "--dose", "0.3mg/kg", "--time", "09:00"],
            ["--weight", "70kg", "--dose", "20mg", "--time", "09:00"],
            ["--weight", "70kg", "--bag", "250mL", "--time", "09:00"],
            ["--weight", "70kg", "--duration", "2h", "--time", "09:00"],
            ["--weight", "70kg", "--duration", "15 min", "--time", "23:00"],
            ["--weight", "90kg", "--dose", "1mg/kg", "--max", "100mg", "--authorized-by", "Dr A", "--time", "09:00"],
            ["--weight", "70kg", "--time", "09:00", "--lot", "ketamine=KI-1", "--expiry", "ketamine=2026-11-26",
             "--vendor", "ketamine=Hikma", "--batch-id", "IV-1"],
            ["--weight", "70kg", "--time", "09:00", "--expiry", "sodium-chloride-0.9=2026-12-01"],
        ]
        return v
    quantities = {
        "ketamine-hcl-nasal-spray-100": ["25mL", "30 mL", "7mL", "0.5 L"],
        "ketamine-nasal-spray-50-vial": ["7mL", "25mL", "60 mL"],
        "ketamine-hcl-sublingual-drops-50": ["60mL", "15 mL"],
        "ketamine-hcl-oral-solution-10": ["120mL", "250 mL", "1 L"],
        "ketamine-hcl-cream-10": ["30g", "250 g", "1 kg"],
        "ketamine-gabapentin-baclofen-cream": ["30g", "120 g"],
        "ketamine-hcl-troche-50": ["45", "60", "1"],
        "ketamine-hcl-rdt-25": ["48", "100", "200"],
    }[formula]
    for q in quantities:
        v.append(["--quantity", q])
    active = {
        "ketamine-nasal-spray-50-vial": "ketamine",
    }.get(formula, "ketamine-hcl")
    strengths = {
        "ketamine-hcl-nasal-spray-100": "150mg/mL",
        "ketamine-nasal-spray-50-vial": "25 mg/mL",
        "ketamine-hcl-sublingual-drops-50": "100mg/mL",
        "ketamine-hcl-oral-solution-10": "5 mg/mL",
        "ketamine-hcl-cream-10": "15%w/w",
        "ketamine-gabapentin-baclofen-cream": "5 %w/w",
        "ketamine-hcl-troche-50": "100mg/troche",
        "ketamine-hcl-rdt-25": "10 mg/rdt",
    }[formula]
    v.append(["--strength", f"{active}={strengths}"])
    v.append(["--quantity", quantities[0], "--strength", f"{active}={strengths}", "--overage", "10%"])
    v.append(["--overage", "0%"])
    if formula == "ketamine-gabapentin-baclofen-cream":
        v.append(["--strength", "ketamine-hcl=5 %w/w", "--strength", "gabapentin=8%w/w",
                  "--strength", "baclofen=1 %w/w", "--quantity", "60g"])
    if formula in ("ketamine-hcl-troche-50", "ketamine-hcl-rdt-25"):
        v.append(["--overage", "3 units", "--quantity", "50"])
        v.append(["--overage", "8%", "--quantity", "90"])
    if "spray" in formula:
        v.append(["--fill", "5 mL", "--quantity", "22 mL"])
        v.append(["--fill", "15mL", "--quantity", "35mL"])
    if formula.startswith("ketamine-hcl-cream") or formula.endswith("-cream"):
        v.append(["--quantity", "5g", "--readability", "1mg"])
        v.append(["--quantity", "15 g", "--min-weight", "50mg"])
    if "solution" in formula or "drops" in formula:
        v.append(["--quantity", "10mL", "--readability", "1 mg", "--min-volume", "2 mL"])
        v.append(["--quantity", "5 mL"])
    # A stock solution takes no assay (it is drawn at its labelled strength).
    assay = [] if active == "ketamine" else ["--assay", f"{active}=99.5%", "--lod", f"{active}=0.5%"]
    v.append(assay + ["--lot", f"{active}=K-25-0441", "--expiry", f"{active}=2027-06-30",
              "--vendor", f"{active}=Spectrum", "--batch-id", "B-2026-1126-01"])
    v.append(["--expiry", f"{active}=2026-12-31", "--readability", "0.01 mg"])
    return v


def batches():
    out = []
    for f in BUILT_IN:
        variants = batch_variants(f)
        for i, opts in enumerate(variants):
            for fmt in WORKSHEET_FORMATS:
                out.append(Cmd(["batch", f, "--format", fmt] + DATE + opts))
            for fmt in LABEL_FORMATS:
                out.append(Cmd(["label", f, "--format", fmt] + DATE + opts))
            if i < 3:
                for fmt in ["table", "markdown", "html"]:
                    out.append(Cmd(["batch", f, "--format", fmt, "--explain"] + DATE + opts))
                for width in ["60", "80", "132"]:
                    out.append(Cmd(["batch", f, "--width", width] + DATE + opts))
        # The time and date as the clock gives them are not compared; a broken zone is.
        tz = ["--weight", "70kg"] if f.startswith("ketamine-iv-") else []
        out.append(Cmd(["batch", f] + DATE + tz + (["--time", "02:30"] if tz else []),
                       env={"TZ": "America/New_York"}))
        out.append(Cmd(["batch", f] + tz, env={"TZ": "America/NewYork"}))
        out.append(Cmd(["batch", f] + DATE + tz, env={"TZ": "/dev/null"}))
        if tz:
            out.append(Cmd(["batch", f, "--date", "2026-03-08", "--time", "02:30"] + tz,
                           env={"TZ": "America/New_York"}))
            out.append(Cmd(["batch", f, "--date", "2026-11-01", "--time", "01:30", "--format", "json"] + tz,
                           env={"TZ": "America/New_York"}))
            out.append(Cmd(["label", f, "--date", "2026-11-01", "--time", "01:30"] + tz,
                           env={"TZ": "EST5EDT,M3.2.0,M11.1.0"}))
    return out


def outputs():
    """`-o`: the file written is compared too."""
    out = []
    for f in ["ketamine-hcl-troche-50", "ketamine-iv-0.5mgkg-100ml", "ketamine-hcl-cream-10"]:
        iv = ["--weight", "70kg", "--time", "09:00"] if "iv" in f else []
        for fmt in ["table", "json", "html"]:
            out.append(Cmd(["batch", f, "--format", fmt, "-o", "{tmp}/out"] + DATE + iv, outfile="out"))
        out.append(Cmd(["label", f, "--format", "html", "-o", "{tmp}/label"] + DATE + iv, outfile="label"))
    out.append(Cmd(["batch", "ketamine-hcl-troche-50", "-o", "{tmp}/no/such/dir/x"] + DATE))
    return out


def records():
    out = []
    for f in BUILT_IN:
        for fmt in ["table", "json"]:
            out.append(Cmd(["show", f, "--format", fmt]))
    for fmt in ["table", "json"]:
        out.append(Cmd(["list", "--format", fmt]))
        out.append(Cmd(["list", "--format", fmt, "--formulas", "tests/fixtures/invalid"]))
        out.append(Cmd(["list", "--format", fmt, "--formulas", "formulas"]))
    for p in sorted((ROOT / "tests/fixtures/invalid").glob("*.toml"))[:10]:
        out.append(Cmd(["show", str(p.relative_to(ROOT))]))
    return out


def validations():
    out = []
    targets = [[], ["formulas"], ["tests/fixtures"], ["tests/fixtures/invalid"], ["tests/fixtures/batch-files"],
               ["tests/fixtures/cases"], ["examples"], ["tests/bad"]]
    if SHARED.is_dir():
        targets.append([str(SHARED / "cases")])
        for d in sorted(p for p in (SHARED / "cases").iterdir() if p.is_dir()):
            targets.append([str(d)])
    for t in targets:
        for fmt in ["human", "json", "github", "sarif"]:
            out.append(Cmd(["validate", "--format", fmt] + t))
        out.append(Cmd(["validate", "--deny-warnings"] + t))
    for p in sorted((ROOT / "tests/fixtures/invalid").glob("*.toml")):
        out.append(Cmd(["validate", str(p.relative_to(ROOT))]))
        out.append(Cmd(["validate", "--format", "json", str(p.relative_to(ROOT))]))
    return out


def calculators():
    """Every calculator command of tests/all/tools.rs, as text and as JSON."""
    text = (ROOT / "tests/all/tools.rs").read_text()
    tools = {"convert", "salt", "mix", "dilute", "mwq", "drops", "osmolarity", "dose", "amount", "strength",
             "aliquot"}
    seen = set()
    out = []
    for m in re.finditer(r'&\[((?:\s*"(?:[^"\\]|\\.)*"\s*,?)+)\]', text):
        args = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))
        if not args or args[0] not in tools:
            continue
        args = [a.encode().decode("unicode_escape") if "\\" in a else a for a in args]
        t = tuple(args)
        if t in seen:
            continue
        seen.add(t)
        out.append(Cmd(args))
        if "--format" not in args:
            out.append(Cmd(args + ["--format", "json"]))
    extra = [
        ["dose", "0.5mg/kg", "--weight", "70kg"],
        ["dose", "0.5mg/kg", "--weight", "154lb", "--max", "30mg"],
        ["aliquot", "--need", "6mg", "--min-weight", "82mg"],
        ["aliquot", "--need", "6mg", "--min-weight", "82mg", "--take", "100mg"],
        ["drops", "--count", "40", "--volume", "2mL", "--strength", "100mg/mL", "--drops", "3"],
        ["salt", "50mg", "--from", "base", "--to", "salt", "--molecule", "ketamine"],
        ["salt", "100mg/mL", "--from", "salt", "--to", "base", "--mw", "274.19", "--base-mw", "237.73"],
        ["convert", "154lb", "--to", "kg"],
        ["convert", "1:2500w/v", "--to", "mg/mL"],
        ["mwq", "--readability", "0.1mg"],
        ["mwq", "--sd", "0.02mg", "--readability", "0.1mg"],
        ["osmolarity", "100mg/mL", "--mw", "274.19", "--particles", "2"],
        ["convert", "-5mg", "--to", "g"],
        ["convert", "5", "--to", "g"],
        ["mix", "2.5%w/w", "1%w/w", "--make", "30mL", "--at", "1.5%w/w"],
    ]
    for args in extra:
        out.append(Cmd(args))
        out.append(Cmd(args + ["--format", "json"]))
    return out


def cases():
    out = []
    roots = [ROOT / "tests/fixtures/cases"]
    if SHARED.is_dir():
        roots.append(SHARED / "cases")
    for root in roots:
        for case in sorted(root.rglob("case.toml")):
            spec = tomllib.loads(case.read_text())
            folder = case.parent
            if "command" in spec:
                args = [a.replace("{formula}", spec.get("formula", "")) for a in spec["command"]]
                out.append(Cmd(args + ["--format", "json"], cwd=folder))
                out.append(Cmd(args, cwd=folder))
                continue
            if "formula" not in spec:
                continue
            args = spec.get("args", [])
            for fmt in WORKSHEET_FORMATS:
                out.append(Cmd(["batch", spec["formula"], "--format", fmt] + args, cwd=folder))
            out.append(Cmd(["batch", spec["formula"], "--explain"] + args, cwd=folder))
            for fmt in LABEL_FORMATS:
                out.append(Cmd(["label", spec["formula"], "--format", fmt] + args, cwd=folder))
    # The formulas beside the project's cases, at their reference batch.
    for f in sorted((ROOT / "tests/fixtures/cases").rglob("*.toml")):
        if f.name == "case.toml":
            continue
        iv = ["--weight", "70kg", "--time", "09:00"] if "iv" in f.name else []
        rel = str(f.relative_to(ROOT))
        out.append(Cmd(["batch", rel, "--format", "json", "--explain"] + DATE + iv))
        out.append(Cmd(["batch", rel, "--explain", "--width", "80"] + DATE + iv))
    return out


def batch_files():
    out = []
    files = sorted((ROOT / "tests/fixtures/batch-files").glob("*.toml")) + [ROOT / "examples/batch-ns-30ml.toml"]
    for f in files:
        rel = str(f.relative_to(ROOT))
        for fmt in WORKSHEET_FORMATS:
            out.append(Cmd(["batch", "--from", rel, "--format", fmt]))
        for fmt in LABEL_FORMATS:
            out.append(Cmd(["label", "--from", rel, "--format", fmt]))
        out.append(Cmd(["batch", "--from", rel, "--quantity", "30mL"]))
        out.append(Cmd(["batch", "ketamine-hcl-troche-50", "--from", rel]))
        out.append(Cmd(["validate", rel]))
        out.append(Cmd(["validate", "--format", "json", rel]))
    # Batch files with errors, written here.
    bad = {
        "unknown-key.toml": 'formula = "ketamine-hcl-troche-50"\nquantity = 30\nqantity = 31\ndate = "2026-11-26"\n',
        "bad-values.toml": 'formula = "ketamine-hcl-troche-50"\nquantity = "30 mL"\ndate = "2026-02-30"\n'
                           'readability = "0 mg"\n[lots.ketamine-hcl]\nassay = "0%"\nexpiry = "2020-01-01"\n'
                           '[lots.nothing]\nlot = "x"\n',
        "iv-no-weight.toml": 'formula = "ketamine-iv-0.5mgkg-100ml"\ndate = "2026-11-26"\ntime = "09:00"\n',
        "iv-not-for-form.toml": 'formula = "ketamine-iv-0.5mgkg-100ml"\ndate = "2026-11-26"\ntime = "09:00"\n'
                                'weight = "70kg"\nquantity = "30 mL"\nreadability = "1 mg"\n',
        "spray-iv-keys.toml": 'formula = "ketamine-hcl-nasal-spray-100"\ndate = "2026-11-26"\nweight = "70kg"\n'
                              'bag = "100 mL"\nmax = "10 mg"\n',
        "iv-capped.toml": 'formula = "ketamine-iv-1mgml-500ml"\ndate = "2026-11-26"\ntime = "09:00"\n'
                          'weight = "70kg"\ndose = "5 mg/kg"\n',
        "iv-skipped.toml": 'formula = "ketamine-iv-0.5mgkg-100ml"\ndate = "2026-03-08"\ntime = "02:30"\n'
                           'weight = "70kg"\n',
        "expired.toml": 'formula = "ketamine-hcl-troche-50"\ndate = "2026-11-26"\n'
                        '[lots.ketamine-hcl]\nexpiry = "2026-11-26"\n',
        "fill-over.toml": 'formula = "ketamine-hcl-nasal-spray-100"\ndate = "2026-11-26"\nfill = "20 mL"\n',
        "over-capacity.toml": 'formula = "ketamine-hcl-troche-50"\ndate = "2026-11-26"\n'
                              'strength = "ketamine-hcl=2000 mg/troche"\n',
        "no-quantity.toml": 'formula = "x.toml"\ndate = "2026-11-26"\n',
        "x.toml": (ROOT / "formulas/ketamine-hcl-cream-10.toml").read_text().replace(
            'quantity = "100 g"', "").replace("ketamine-hcl-cream-10", "x"),
        "strength-no-id.toml": 'formula = "ketamine-gabapentin-baclofen-cream"\ndate = "2026-11-26"\n'
                               'strength = "5 %w/w"\n',
        "tz.toml": 'formula = "ketamine-iv-0.5mgkg-100ml"\nweight = "70kg"\n',
    }

    def setup(tmp):
        for name, body in bad.items():
            (tmp / name).write_text(body)

    for name in bad:
        if name == "x.toml":
            continue
        for fmt in ["table", "json"]:
            out.append(Cmd(["batch", "--from", "{tmp}/" + name, "--format", fmt], setup=setup))
        out.append(Cmd(["label", "--from", "{tmp}/" + name], setup=setup))
        out.append(Cmd(["validate", "{tmp}/" + name], setup=setup))
        out.append(Cmd(["validate", "--format", "json", "{tmp}/" + name], setup=setup))
    out.append(Cmd(["batch", "--from", "{tmp}/tz.toml"], setup=setup, env={"TZ": "Mars/Olympus"}))
    out.append(Cmd(["batch", "--from", "{tmp}/tz.toml", "--format", "json"], setup=setup,
                   env={"TZ": "America/New_York"}))
    return out


def errors():
    f, iv = "ketamine-hcl-nasal-spray-100", "ketamine-iv-0.5mgkg-100ml"
    cases = [
        [], ["batch"], ["batch", f, "--quantity"], ["batch", f, "--format", "pdf"], ["nonsense"],
        ["batch", f, "--quantity", "30 g"], ["batch", f, "--quantity", "0 mL"], ["batch", f, "--quantity", "abc"],
        ["batch", f, "--quantity", "1e3 mL"], ["batch", f, "--quantity", "99999 L"],
        ["batch", f, "--overage", "100%"], ["batch", f, "--overage", "5 g"],
        ["batch", f, "--strength", "5%w/w"], ["batch", f, "--strength", "nothing=5mg/mL"],
        ["batch", f, "--strength", "sodium-chloride-0.9=5mg/mL"], ["batch", f, "--strength", "0mg/mL"],
        ["batch", f, "--strength", "2000mg/mL"],
        ["batch", f, "--assay", "99%"], ["batch", f, "--assay", "ketamine-hcl=0%"],
        ["batch", f, "--assay", "ketamine-hcl=99%", "--assay", "ketamine-hcl=98%"],
        ["batch", f, "--assay", "sodium-chloride-0.9=99%"], ["batch", f, "--lod", "ketamine-hcl=100%"],
        ["batch", f, "--date", "2026-02-30"], ["batch", f, "--date", "26-11-2026"], ["batch", f, "--date", "1999-01-01"],
        ["batch", f, "--expiry", "ketamine-hcl=2026-11-01"], ["batch", f, "--expiry", "x=2027-01-01"],
        ["batch", f, "--readability", "0 mg"], ["batch", f, "--readability", "5 mL"],
        ["batch", f, "--min-weight", "0.01mg"], ["batch", f, "--fill", "20 mL"], ["batch", f, "--fill", "0.1 mL"],
        ["batch", f, "--lot", "K1"], ["batch", f, "--lot", "ketamine-hcl=K\u001b1"],
        ["batch", f, "--batch-id", "a\tb"], ["batch", f, "--weight", "70kg"], ["batch", f, "--dose", "1mg/kg"],
        ["batch", f, "--time", "09:00"], ["batch", f, "--max", "10mg"], ["batch", f, "--authorized-by", "x"],
        ["batch", iv], ["batch", iv, "--weight", "70"], ["batch", iv, "--weight", "0kg"],
        ["batch", iv, "--weight", "900kg"], ["batch", iv, "--weight", "70kg", "--quantity", "30 mL"],
        ["batch", iv, "--weight", "70kg", "--readability", "1mg"], ["batch", iv, "--weight", "70kg", "--dose", "0mg"],
        ["batch", iv, "--weight", "70kg", "--dose", "5 mL"], ["batch", iv, "--weight", "70kg", "--duration", "0min"],
        ["batch", iv, "--weight", "70kg", "--duration", "25h"], ["batch", iv, "--weight", "70kg", "--bag", "0mL"],
        ["batch", iv, "--weight", "70kg", "--bag", "10L"], ["batch", iv, "--weight", "70kg", "--time", "24:00"],
        ["batch", iv, "--weight", "70kg", "--time", "9"], ["batch", iv, "--weight", "70kg", "--max", "10mg"],
        ["batch", iv, "--weight", "70kg", "--authorized-by", "Dr A"],
        ["batch", iv, "--weight", "70kg", "--dose", "2mg/kg", "--time", "09:00"],
        ["batch", iv, "--weight", "70kg", "--dose", "2mg/kg", "--max", "100mg", "--authorized-by", "Dr A",
         "--time", "09:00"],
        ["batch", iv, "--weight", "70kg", "--bag", "1mL", "--time", "09:00"],
        ["batch", "ketamine-iv-1mgml-500ml", "--weight", "500kg", "--dose", "20mg/kg", "--time", "09:00"],
        ["batch", "ketamine-iv-1mgml-500ml", "--weight", "70kg", "--bag", "20mL", "--time", "09:00"],
        ["batch", "ketamine-iv-1mgml-500ml", "--weight", "70kg", "--dose", "0.0001mg", "--time", "09:00"],
        ["batch", "ketamine-hcl-troche-50", "--quantity", "2.5"], ["batch", "ketamine-hcl-troche-50", "--quantity", "0"],
        ["batch", "ketamine-hcl-troche-50", "--strength", "2000mg/troche"],
        ["batch", "ketamine-hcl-cream-10", "--strength", "99 %w/w"],
        ["batch", "ketamine-hcl-cream-10", "--quantity", "0.01 g"],
        ["batch", "ketamine-hcl-cream-10", "--quantity", "0.5 g", "--min-weight", "500mg"],
        ["batch", "ketamine-hcl-sublingual-drops-50", "--quantity", "0.3 mL"],
        ["batch", "ketamine-hcl-sublingual-drops-50", "--quantity", "1 mL", "--min-volume", "1 mL"],
        ["batch", "ketamine-hcl-oral-solution-10", "--strength", "900 mg/mL"],
        ["batch", "ketamine-nasal-spray-50-vial", "--quantity", "0.2 mL"],
        ["batch", "ketamine-nasal-spray-50-vial", "--strength", "0.5mg/mL"],
        ["batch", "ketamine-hcl-nasal-spray-100", "--quantity", "0.2 mL"],
        ["batch", "ketamine-hcl-nasal-spray-100.toml"], ["batch", "nasal-spray"], ["batch", "Ketamine"],
        ["show", "nothing"], ["show", "formulas"], ["label", f, "--format", "pdf"],
        ["schema", "--kind", "nothing"], ["man", "nothing"], ["completions", "tcsh"],
        ["validate", "no/such/path"], ["list", "--formulas", "no/such/dir"],
        ["batch", f, "--formulas", "no/such/dir"],
        ["convert", "1:0w/v", "--to", "mg/mL"], ["mix", "1%w/w", "1%w/w", "--make", "30g", "--at", "1%w/w"],
        ["dose", "0.5mg/kg", "--weight", "0kg"], ["dilute", "500mL@25%v/v", "--to", "100mL"],
    ]
    out = []
    for args in cases:
        a = args if (not args or args[0] != "batch" or "--date" in args) else args + DATE
        out.append(Cmd(a))
        if a and a[0] == "batch" and len(a) > 1:
            out.append(Cmd(a + ["--format", "json"]))
            out.append(Cmd(["label"] + a[1:]))
    return out


def bad_corpus():
    out = []
    root = ROOT / "tests/bad"
    for case in sorted(p for p in root.iterdir() if (p / "cmd").is_file()):
        args = (case / "cmd").read_text().split("\n")
        if args and args[-1] == "":
            args = args[:-1]

        def setup(tmp, case=case):
            script = case / "setup"
            if not script.exists():
                return
            for line in script.read_text().splitlines():
                if not line.strip():
                    continue
                words = line.split(" ", 3)
                verb = words[0]
                name = tmp / file_name(words[1].replace("{dir}", str(case)).replace("{tmp}", str(tmp)))
                name.parent.mkdir(parents=True, exist_ok=True)
                arg = lambda i: words[i].replace("{dir}", str(case)).replace("{tmp}", str(tmp))
                if verb == "file":
                    chunk = (words[3] if len(words) > 3 else "").replace("\\n", "\n")
                    with open(name, "ab") as fh:
                        fh.write(chunk.encode() * int(words[2]))
                elif verb == "link":
                    os.symlink(arg(2), name)
                elif verb == "copy":
                    shutil.copy(arg(2), name)
                elif verb == "fifo":
                    os.mkfifo(name)

        args = [a.replace("{dir}", str(case)) for a in args]
        out.append(Cmd(args, cwd=case, setup=setup))
    return out


def file_name(s):
    out = bytearray()
    i = 0
    b = s.encode()
    while i < len(b):
        if b[i:i + 2] == b"\\x" and i + 4 <= len(b):
            out.append(int(b[i + 2:i + 4], 16))
            i += 4
        else:
            out.append(b[i])
            i += 1
    return os.fsdecode(bytes(out))


def misc():
    out = [Cmd(["--help"]), Cmd(["--version"]), Cmd(["-h"])]
    for c in ["list", "show", "validate", "batch", "label", "schema", "completions", "man", "convert", "salt",
              "mix", "dilute", "mwq", "drops", "osmolarity", "dose", "amount", "strength", "aliquot"]:
        out.append(Cmd([c, "--help"]))
    for k in ["formula", "batch", "output"]:
        out.append(Cmd(["schema", "--kind", k]))
    out.append(Cmd(["schema"]))
    for s in ["bash", "zsh", "fish", "powershell", "elvish"]:
        out.append(Cmd(["completions", s]))
    for c in [[], ["batch"], ["validate"], ["label"], ["convert"]]:
        out.append(Cmd(["man"] + c))
    out.append(Cmd(["__ids"]))
    return out


def all_commands():
    cmds = (batches() + outputs() + records() + validations() + calculators() + cases() + batch_files()
            + errors() + bad_corpus() + misc())
    for c in cmds:
        c.json_out = is_json(c.args)
    return cmds


def run(binary, cmd, tmp):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NO_COLOR": "1"}
    env.update(cmd.env)
    args = [a.replace("{tmp}", str(tmp)) for a in cmd.args]
    try:
        p = subprocess.run([binary] + args, cwd=cmd.cwd, env=env, capture_output=True, timeout=120,
                           stdin=subprocess.DEVNULL)
        rc, so, se = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        rc, so, se = "timeout", b"", b""
    t = str(tmp).encode()
    so, se = so.replace(t, b"{tmp}"), se.replace(t, b"{tmp}")
    written = None
    if cmd.outfile:
        f = tmp / cmd.outfile
        written = f.read_bytes() if f.exists() else None
    return rc, so, se, written


# Wording the old binary got wrong and the new one gets right, each as (old, new): the old
# output is corrected before it is compared, so that every other byte is still compared.
# Batch files named options by rewriting the flags in a message's text, which read
# `--max M --authorized-by NAME` as one flag with the value `M --authorized-by NAME`;
# the request layer now names each option itself (issue 21).
KNOWN_FIXES = [
    (b'given with `max = "M --authorized-by NAME"`', b'given with `max = "M"`, `authorized_by = "NAME"`'),
    (b'given with `max = \\"M --authorized-by NAME\\"`', b'given with `max = \\"M\\"`, `authorized_by = \\"NAME\\"`'),
]


def corrected(old):
    for a, b in KNOWN_FIXES:
        old = old.replace(a, b)
    return old


def strip_addition(doc):
    """Takes the documented addition out of a batch document (`other_basis.per_dose`), the
    record's `batch`, or out of the output schema (`schema --kind output`, `--kind record`)
    that describes it."""
    changed = False
    ob = doc.get("$defs", {}).get("OtherBasis") if isinstance(doc, dict) else None
    if isinstance(ob, dict) and "per_dose" in ob.get("properties", {}):
        del ob["properties"]["per_dose"]
        ob["required"] = [r for r in ob.get("required", []) if r != "per_dose"]
        changed = True
    # The completed record (`record --format json`) holds the batch document as `batch`.
    if isinstance(doc, dict) and isinstance(doc.get("batch"), dict):
        changed = strip_addition(doc["batch"]) or changed
    for s in doc.get("strengths", []) if isinstance(doc, dict) else []:
        ob = s.get("other_basis")
        if isinstance(ob, dict) and "per_dose" in ob:
            del ob["per_dose"]
            changed = True
    return changed


def same_json(old, new):
    try:
        a, b = json.loads(old), json.loads(new)
    except ValueError:
        return old == new
    # Taken out of both, so that two binaries that both have it (main against a branch
    # of it) compare as well as one without it against one with it.
    stripped_a, stripped_b = strip_addition(a), strip_addition(b)
    if not (stripped_a or stripped_b):
        return old == new
    return a == b


def main():
    argv = sys.argv[1:]
    listing = "--list" in argv
    verbose = "-v" in argv
    only = None
    if "--only" in argv:
        only = argv[argv.index("--only") + 1]
    pos = [a for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] != "--only")]
    cmds = all_commands()
    if only:
        cmds = [c for c in cmds if only in c.key()]
    if listing:
        for c in cmds:
            print(c.key())
        print(f"{len(cmds)} commands")
        return 0
    if len(pos) != 2:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    old, new = (str(Path(p).resolve()) for p in pos)
    failures = 0
    for c in cmds:
        results = []
        for binary in (old, new):
            with tempfile.TemporaryDirectory() as d:
                tmp = Path(d)
                if c.setup:
                    c.setup(tmp)
                results.append(run(binary, c, tmp))
        (rc_a, so_a, se_a, w_a), (rc_b, so_b, se_b, w_b) = results
        so_a, se_a = corrected(so_a), corrected(se_a)
        same_out = same_json(so_a, so_b) if c.json_out else so_a == so_b
        same_file = (w_a == w_b) or (w_a is not None and w_b is not None and c.json_out and same_json(w_a, w_b))
        if rc_a == rc_b and same_out and se_a == se_b and same_file:
            if verbose:
                print(f"same  {c.key()}")
            continue
        failures += 1
        print(f"DIFF  {c.key()}")
        if rc_a != rc_b:
            print(f"  status {rc_a} -> {rc_b}")
        for what, a, b in (("stdout", so_a, so_b), ("stderr", se_a, se_b), ("file", w_a or b"", w_b or b"")):
            if a != b and not (what == "stdout" and same_out):
                show_diff(what, a, b)
    print(f"{len(cmds)} commands, {len(cmds) - failures} the same, {failures} different")
    return 1 if failures else 0


def show_diff(what, a, b):
    import difflib
    la = a.decode(errors="replace").splitlines()
    lb = b.decode(errors="replace").splitlines()
    diff = list(difflib.unified_diff(la, lb, "old", "new", lineterm="", n=1))
    print(f"  {what}:")
    for line in diff[:40]:
        print("    " + line)
    if len(diff) > 40:
        print(f"    … {len(diff) - 40} more lines")


if __name__ == "__main__":
    sys.exit(main())
