#!/usr/bin/env python3
"""Generate the FHIR R4 search parameter table used by FHIRSearchDefinitions.

Usage (from the package root):

    python3 scripts/generate-search-tables.py ../shared/fhir-r4

Reads search-parameters.json, compartment-definitions.json and structure-definitions.json
from the given folder (FHIR R4 4.0.1) and writes Sources/FHIR/Generated/FHIRSearchTable.swift:
a line-based text table in a raw string, parsed lazily at first use by
Sources/FHIR/Search/FHIRSearchDefinitions.swift. The running server never reads the JSON.

Each parameter's FHIRPath expression is compiled, for each base resource type, into JSON
member paths (SearchPath). Only a small, safe subset of FHIRPath is understood (member
steps, `as`/`as()`/`ofType()` on choice elements, `where(resolve() is T [or ...])`,
`where(member='literal')`, `extension('url')`); anything else makes the parameter
unsupported for that type, with a reason: a parameter that is missing is better than one
that silently indexes the wrong values.

Table format (tab-separated fields, one record per line):
  R <type>...
      every concrete resource type, in order (first line; "*" targets refer to it).
  S <type> <code> <kind> <url> <targets> <path>...
      a supported parameter of resource type <type>; <kind> is the SearchParamType;
      <url> is the definition's canonical URL, written as just the id when it is
      http://hl7.org/fhir/SearchParameter/<id>; <targets> comma-separated or "-", or
      "*-X,Y" for every resource type of the R line except X and Y, in that order (80
      reference parameters allow every type but Parameters; this halves the table).
  K <code> <kind> <path>...
      a component of the composite parameter on the preceding S line, in order; its paths
      are relative to each element the composite's paths reach.
  U <type> <code> <reason>
      a parameter R4 defines for <type> that could not be compiled.
  C <compartment> <type> <code>...
      the parameters that put a resource of <type> in the compartment.
  M <type> <summary> <required>
      comma-separated top-level JSON members with isSummary=true, and with min >= 1
      ("-" when none); a choice element gives every JSON name (valueQuantity, ...).

A <path> is <steps>:<valueType>[><targetTypes>]
  steps       JSON member names joined by "."; empty for the resource itself; a step may
              carry a filter on its items as member[name=value] (the value is verbatim and
              never contains "]", a tab or a space)
  valueType   FHIR type of what is reached (primitive, complex type, BackboneElement, or a
              resource type for the resource itself)
  targetTypes comma-separated, from where(resolve() is T)
"""

import json
import os
import re
import sys

OUT_FILE = "FHIRSearchTable.swift"
COMMAND = "python3 scripts/generate-search-tables.py ../shared/fhir-r4"
FHIR_TYPE_EXT = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"
SP_PREFIX = "http://hl7.org/fhir/SearchParameter/"
COMMON = ["_id", "_lastUpdated", "_tag", "_profile", "_security", "_source"]
# No expression to index: handled (or refused) by the search engine itself.
SPECIAL = {"_text", "_content", "_list", "_has", "_type", "_query", "_filter"}


class Unsupported(Exception):
    pass


def load_bundle(folder, name):
    with open(os.path.join(folder, name), encoding="utf-8") as handle:
        return [entry["resource"] for entry in json.load(handle).get("entry", [])]


def cap(name):
    return name[0].upper() + name[1:]


# ---------------------------------------------------------------- structure definitions

class Structures:
    """Element lookup over the base (non-constraint) snapshots."""

    def __init__(self, sds):
        self.elements = {}
        self.resources = set()
        self.by_type = {}
        for sd in sds:
            if sd.get("derivation") == "constraint":
                continue
            self.by_type[sd["type"]] = sd
            if sd["kind"] == "resource" and not sd.get("abstract"):
                self.resources.add(sd["type"])
            for element in sd["snapshot"]["element"]:
                self.elements[element["path"]] = (sd, element)
        self.has_children = set()
        for path in self.elements:
            if "." in path:
                self.has_children.add(path.rsplit(".", 1)[0])

    def types(self, sd, element):
        result = []
        for t in element.get("type", []):
            code = t["code"]
            if code.startswith("http://hl7.org/fhirpath/System."):
                fhir = None
                for ext in t.get("extension", []):
                    if ext.get("url") == FHIR_TYPE_EXT:
                        fhir = ext.get("valueUrl") or ext.get("valueUri")
                path = element["path"]
                if sd["kind"] == "resource" and path.count(".") == 1 and path.endswith(".id"):
                    fhir = "id"
                code = fhir or "string"
            result.append(code)
        return result

    def child(self, context, member):
        """The element `member` under `context` (a type name or a backbone path):
        (json base name, is_choice, [types], child context or None)."""
        for path, choice in ((context + "." + member, False), (context + "." + member + "[x]", True)):
            if path in self.elements:
                sd, element = self.elements[path]
                if "contentReference" in element:
                    target = element["contentReference"].lstrip("#")
                    return member, False, ["BackboneElement"], target
                if path in self.has_children:
                    types = self.types(sd, element)
                    kind = types[0] if types and types[0] == "Element" else "BackboneElement"
                    return member, False, [kind], path
                types = self.types(sd, element)
                if not types:
                    raise Unsupported("element without type")
                return member, choice, types, (types[0] if len(types) == 1 else None)
        raise Unsupported("unknown element %s.%s" % (context, member))


# ---------------------------------------------------------------- FHIRPath subset

TOKEN = re.compile(r"\s*(?:('(?:[^'\\]|\\.)*')|([A-Za-z_][A-Za-z0-9_]*)|([0-9]+)|(\(|\)|\.|,|=|!=|\[|\]|%|\|))")


def tokenize(text):
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise Unsupported("unexpected character in expression")
        if m.group(1) is not None:
            tokens.append(("str", m.group(1)[1:-1]))
        elif m.group(2) is not None:
            tokens.append(("id", m.group(2)))
        elif m.group(3) is not None:
            tokens.append(("num", m.group(3)))
        else:
            tokens.append(("op", m.group(4)))
        pos = m.end()
    return tokens


def split_alternatives(expression):
    """Split on top-level `|` (outside parentheses and strings)."""
    parts, depth, quote, start = [], 0, False, 0
    for i, ch in enumerate(expression):
        if ch == "'":
            quote = not quote
        elif not quote and ch == "(":
            depth += 1
        elif not quote and ch == ")":
            depth -= 1
        elif not quote and depth == 0 and ch == "|":
            parts.append(expression[start:i].strip())
            start = i + 1
    parts.append(expression[start:].strip())
    return parts


class Parser:
    """Turns one alternative into a list of operations:
    ("member", name) ("as", type) ("targets", [types]) ("filter", member, value)
    ("extension", url)."""

    def __init__(self, tokens):
        self.t, self.i = tokens, 0

    def peek(self, k=0):
        return self.t[self.i + k] if self.i + k < len(self.t) else (None, None)

    def take(self, kind=None, value=None):
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind) or (value and tok[1] != value):
            raise Unsupported("unsupported FHIRPath")
        self.i += 1
        return tok[1]

    def parse(self):
        ops = self.expr()
        if self.peek()[0] is not None:
            raise Unsupported("unsupported FHIRPath")
        return ops

    def expr(self):
        ops = self.path()
        if self.peek() == ("id", "as"):
            self.take()
            ops.append(("as", self.take("id")))
        return ops

    def path(self):
        if self.peek() == ("op", "("):
            self.take()
            ops = self.expr()
            self.take("op", ")")
        elif self.peek() == ("op", "%"):
            raise Unsupported("uses %resource")
        else:
            ops = [("member", self.take("id"))]
        while self.peek() == ("op", "."):
            self.take()
            ops.extend(self.segment())
        if self.peek() == ("op", "["):
            raise Unsupported("indexer")
        return ops

    def segment(self):
        name = self.take("id")
        if self.peek() != ("op", "("):
            return [("member", name)]
        self.take()
        if name in ("as", "ofType"):
            ops = [("as", self.take("id"))]
        elif name == "extension":
            ops = [("extension", self.take("str"))]
        elif name == "where":
            ops = [self.condition()]
        else:
            raise Unsupported("function %s()" % name)
        self.take("op", ")")
        return ops

    def condition(self):
        if self.peek() == ("id", "resolve"):
            types = []
            while True:
                self.take("id", "resolve")
                self.take("op", "(")
                self.take("op", ")")
                self.take("id", "is")
                types.append(self.take("id"))
                if self.peek() != ("id", "or"):
                    return ("targets", types)
                self.take()
        if self.peek()[0] == "id" and self.peek(1) == ("op", "=") and self.peek(2)[0] == "str":
            member = self.take("id")
            self.take()
            return ("filter", member, self.take("str"))
        raise Unsupported("unsupported where() condition")


# ---------------------------------------------------------------- compiler

class Cursor:
    """Where a path has got to: JSON steps so far and the current element."""

    def __init__(self, steps, name, choice, types, context, targets=None):
        self.steps, self.name, self.choice = steps, name, choice
        self.types, self.context, self.targets = types, context, targets


def root_cursor(context, value_type):
    return Cursor([], None, False, [value_type], context)


def apply(structures, cursor, ops):
    """Runs ops from cursor; returns the finished paths as (steps, valueType, targets,
    from_untyped_choice); steps are (member, (filter member, value) or None)."""
    for op in ops:
        kind = op[0]
        if cursor.choice and kind != "as":
            if kind == "member":
                raise Unsupported("member of an unresolved choice element")
            raise Unsupported("where() on a choice element")
        if kind == "member":
            if cursor.targets is not None:
                raise Unsupported("step after resolve() filter")
            if cursor.context is None:
                raise Unsupported("member of a primitive")
            name, choice, types, context = structures.child(cursor.context, op[1])
            steps = cursor.steps + ([] if choice else [(name, None)])
            cursor = Cursor(steps, name, choice, types, context)
        elif kind == "as":
            wanted = op[1]
            match = [t for t in cursor.types if t.lower() == wanted.lower()]
            if not match:
                raise Unsupported("as(%s) is not a type of the element" % wanted)
            t = match[0]
            if cursor.choice:
                member = cursor.name + cap(t)
                context = structures_context(structures, t)
                cursor = Cursor(cursor.steps + [(member, None)], member, False, [t], context)
            elif len(cursor.types) != 1:
                raise Unsupported("as() on a multi-typed element")
        elif kind == "targets":
            if cursor.types != ["Reference"]:
                raise Unsupported("resolve() filter on a non-Reference element")
            cursor.targets = op[1]
        elif kind == "filter":
            if not cursor.steps or cursor.steps[-1][1] is not None:
                raise Unsupported("where() without a member to filter")
            if cursor.context is None:
                raise Unsupported("where() on a primitive")
            structures.child(cursor.context, op[1])  # the member must exist
            cursor.steps = cursor.steps[:-1] + [(cursor.steps[-1][0], (op[1], op[2]))]
        elif kind == "extension":
            if cursor.context is None:
                raise Unsupported("extension() on a primitive")
            structures.child(cursor.context, "extension")
            cursor = Cursor(cursor.steps + [("extension", ("url", op[1]))], "extension",
                            False, ["Extension"], "Extension")
    if cursor.choice:
        # A choice element without a type: every allowed type (marked, see fitting()).
        return [(cursor.steps + [(cursor.name + cap(t), None)], t, None, True)
                for t in cursor.types]
    if len(cursor.types) != 1:
        raise Unsupported("multi-typed element")
    return [(cursor.steps, cursor.types[0], cursor.targets, False)]


def structures_context(structures, type_name):
    return type_name if type_name in structures.by_type and type_name[0].isupper() else None


def compile_expression(structures, expression, base):
    """All paths of `expression` for resource type `base`."""
    paths = []
    for alt in split_alternatives(expression):
        ops = Parser(tokenize(alt)).parse()
        first = ops[0]
        if first[0] != "member":
            raise Unsupported("unsupported FHIRPath")
        if first[1][0].isupper():
            if first[1] in ("Resource", "DomainResource"):
                pass
            elif first[1] != base:
                continue  # an alternative for another base type
            ops = ops[1:]
        # else: relative to the resource (`name | alias`)
        for path in apply(structures, root_cursor(base, base), ops):
            if path not in paths:
                paths.append(path)
    if not paths:
        raise Unsupported("no alternative for this type")
    return paths


# ---------------------------------------------------------------- value type checks

QUANTITIES = {"Quantity", "Age", "Duration", "Distance", "Count", "Money", "SampledData", "Range"}
FITS = {
    "number": {"decimal", "integer", "positiveInt", "unsignedInt"},
    "date": {"date", "dateTime", "instant", "Period", "Timing"},
    "string": {"string", "markdown", "HumanName", "Address", "uri", "url", "canonical", "id",
               "code", "Extension"},
    "token": {"boolean", "code", "id", "string", "uri", "url", "canonical", "oid", "uuid",
              "Coding", "CodeableConcept", "Identifier", "ContactPoint", "Extension"},
    "reference": {"Reference", "canonical", "uri", "url", "Extension"},
    "quantity": QUANTITIES | {"Extension"},
    "uri": {"uri", "url", "canonical", "oid", "uuid", "Extension"},
}


def fitting(kind, paths):
    """The paths a parameter of `kind` can index. Where an untyped choice element was
    expanded (`Procedure.performed` for a date parameter), the types the parameter cannot
    search (performedString, performedAge) are dropped, as FHIRPath would yield values no
    date search can match; any other misfit makes the parameter unsupported."""
    kept = [p for p in paths if p[1] in FITS[kind] or not p[3]]
    for _, value_type, _, _ in kept:
        if value_type not in FITS[kind]:
            raise Unsupported("%s parameter over %s" % (kind, value_type))
    if not kept:
        raise Unsupported("%s parameter over %s" % (kind, paths[0][1]))
    return kept


# ---------------------------------------------------------------- table writing

def clean(text):
    if any(ch in text for ch in "\t\n\r ]"):
        raise ValueError("unexpected character in table value: %r" % text)
    return text


def path_text(path):
    steps, value_type, targets, _ = path
    parts = []
    for member, flt in steps:
        parts.append(member if flt is None else "%s[%s=%s]" % (member, flt[0], clean(flt[1])))
    text = ".".join(parts) + ":" + value_type
    if targets:
        text += ">" + ",".join(targets)
    return text


def url_text(url):
    return url[len(SP_PREFIX):] if url.startswith(SP_PREFIX) else url


def component_code(params_of_base, pairs, expression):
    """The component's parameter, and the component's paths it can index. The data has no
    component definition URLs, so they are recovered: the non-composite parameter of the same
    base whose paths include every absolute path of the component (composite path + relative
    path, after dropping types the candidate cannot search). The candidate with the fewest
    paths wins (`code` over `combo-code`); a tie makes the composite unsupported."""
    best = []
    for code, (kind, paths) in params_of_base.items():
        if kind == "composite":
            continue
        have = {(tuple(s), v) for s, v, _, _ in paths}
        try:
            rel = fitting(kind, [p for _, r in pairs for p in r])
            wanted = {(tuple(c[0]) + tuple(p[0]), p[1]) for c, r in pairs for p in r if p in rel}
        except Unsupported:
            continue
        if wanted and wanted <= have:
            best.append((len(have), code, kind, rel))
    best.sort(key=lambda b: b[0])
    if not best or (len(best) > 1 and best[0][0] == best[1][0]):
        raise Unsupported("component %r matches no single parameter" % expression)
    rel = []
    for p in best[0][3]:
        if p not in rel:
            rel.append(p)
    return best[0][1], best[0][2], rel


def targets_text(targets, resources):
    left_out = [r for r in resources if r not in targets]
    if len(targets) > 100 and targets == [r for r in resources if r in targets]:
        return "*-" + ",".join(left_out)
    return ",".join(targets) or "-"


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: %s <fhir-r4 definitions folder>\n" % sys.argv[0])
        return 2
    folder = sys.argv[1]
    structures = Structures(load_bundle(folder, "structure-definitions.json"))
    params = load_bundle(folder, "search-parameters.json")
    compartments = load_bundle(folder, "compartment-definitions.json")
    resources = sorted(structures.resources)

    compiled = {}  # (base, code) -> (param, paths) or (param, reason)
    unsupported = {}
    for sp in params:
        # The spec's example SearchParameters ("example", "example-reference", ...) duplicate
        # or contradict real ones; parameters without a base are extension templates.
        if sp["id"].startswith("example") or not sp.get("base"):
            continue
        code = sp["code"]
        if code in SPECIAL or sp["type"] == "special":
            continue
        bases = sp["base"]
        if bases in (["Resource"], ["DomainResource"]):
            bases = resources
        for base in bases:
            try:
                if not sp.get("expression"):
                    raise Unsupported("no expression")
                paths = compile_expression(structures, sp["expression"], base)
                if sp["type"] != "composite":
                    paths = fitting(sp["type"], paths)
                compiled[(base, code)] = (sp, paths)
            except Unsupported as error:
                unsupported[(base, code)] = str(error)

    by_base = {}
    for (base, code), (sp, paths) in compiled.items():
        by_base.setdefault(base, {})[code] = (sp["type"], paths)

    records = ["\t".join(["R"] + resources)]
    for (base, code) in sorted(compiled):
        sp, paths = compiled[(base, code)]
        lines = []
        try:
            if sp["type"] == "composite":
                for component in sp.get("component", []):
                    pairs = []
                    for cpath in paths:
                        # the element's context (type name or backbone path)
                        ctx = base
                        for member, _ in cpath[0]:
                            ctx = structures.child(ctx, member)[3]
                        if ctx is None:
                            raise Unsupported("composite over a primitive")
                        rel = []
                        for alt in split_alternatives(component["expression"]):
                            ops = Parser(tokenize(alt)).parse()
                            for p in apply(structures, root_cursor(ctx, cpath[1]), ops):
                                if p not in rel:
                                    rel.append(p)
                        pairs.append((cpath, rel))
                    ccode, ckind, rel = component_code(by_base.get(base, {}), pairs,
                                                       component["expression"])
                    lines.append("\t".join(["K", ccode, ckind] + [path_text(p) for p in rel]))
                if not lines:
                    raise Unsupported("composite without components")
        except Unsupported as error:
            unsupported[(base, code)] = str(error)
            continue
        targets = targets_text(sp.get("target", []), resources)
        records.append("\t".join(["S", base, code, sp["type"], clean(url_text(sp["url"])), targets]
                                 + [path_text(p) for p in paths]))
        records.extend(lines)
    for (base, code) in sorted(unsupported):
        records.append("\t".join(["U", base, code, unsupported[(base, code)]]))

    for comp in sorted(compartments, key=lambda c: c["code"]):
        for entry in comp.get("resource", []):
            codes = [p for p in entry.get("param", []) if p != "{def}"]
            if codes:
                records.append("\t".join(["C", comp["code"], entry["code"]] + codes))

    for rtype in resources:
        summary, required = [], []
        for element in structures.by_type[rtype]["snapshot"]["element"]:
            path = element["path"]
            if path.count(".") != 1:
                continue
            member = path.split(".", 1)[1]
            names = [member]
            if member.endswith("[x]"):
                stem = member[:-3]
                names = [stem + cap(t["code"]) for t in element.get("type", [])]
            if element.get("isSummary"):
                summary.extend(names)
            if element.get("min", 0) >= 1:
                required.extend(names)
        records.append("\t".join(["M", rtype, ",".join(summary) or "-", ",".join(required) or "-"]))

    n_supported = len(compiled) - sum(1 for k in compiled if k in unsupported)
    body = "\n".join(records)
    if '"""#' in body:
        raise ValueError("table text would end the raw string")
    summary_line = "%d supported parameters, %d unsupported, over %d resource types." % (
        n_supported, len(unsupported), len(resources))
    text = (
        "// GENERATED FILE - DO NOT EDIT.\n"
        "// Generated by scripts/generate-search-tables.py from the FHIR R4 (4.0.1) definitions.\n"
        "// Regenerate from the package root with:\n"
        "//     " + COMMAND + "\n"
        "// " + summary_line + "\n\n"
        "extension FHIRGeneratedTables {\n"
        "    static let searchTable = #\"\"\"\n" + body + "\n\"\"\"#\n"
        "}\n"
    )
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    out = os.path.join(root, "Sources", "FHIR", "Generated", OUT_FILE)
    with open(out, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    print("wrote Sources/FHIR/Generated/%s (%d bytes)" % (OUT_FILE, len(text.encode("utf-8"))))
    print(summary_line)
    reasons = {}
    for (base, code), reason in sorted(unsupported.items()):
        reasons.setdefault(reason, []).append("%s.%s" % (base, code))
    for reason, items in sorted(reasons.items()):
        print("  %s: %s" % (reason, " ".join(items)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
