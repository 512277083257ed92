#!/usr/bin/env python3
"""Generate the FHIR R4 definition tables used by the FHIR module.

Usage (from the package root):

    python3 scripts/generate-fhir-tables.py ../shared/fhir-r4

Reads structure-definitions.json, value-sets-required.json and code-systems-required.json
from the given folder (FHIR R4 4.0.1 definitions) and writes, under Sources/FHIR/Generated/:

  - FHIRStructureTable.swift: resource types, complex and primitive types, and every element
    of every resource and complex datatype, as a line-based text table in a raw string;
  - FHIRValueSetTable.swift: expansions of the value sets behind required bindings.

The Swift side (Sources/FHIR/Definitions) parses these tables lazily at first use. Keeping
the data in a string literal rather than array or dictionary literals keeps compile times low.

Structure table format (tab-separated fields, one record per line):
  R <name>                 concrete resource type
  C <name>                 complex datatype
  P <name>                 primitive type
  E <path> <min> <max> <types> <binding> <targets>
      path     element path, choice elements keep the "[x]" suffix
      min/max  cardinality ("*" = unbounded)
      types    comma-separated type codes; "@" = backbone element (children by path);
               "#Path" = contentReference to the element at Path
      binding  required value set URL (version stripped), or "-"
      targets  Reference target resource types (comma-separated), "*" for any, or "-"

Value set table format:
  S <system> <code>...     a shared code list (a whole code system), tab-separated
  V <url>                  an expandable value set, followed by its parts:
  = <system>               all codes of the shared code list <system>
  + <system> <code>...     explicit codes of <system> (tab-separated)
  X <url>                  a value set that cannot be expanded here (validators skip it)
"""

import json
import os
import sys

STRUCTURE_FILE = "FHIRStructureTable.swift"
VALUESET_FILE = "FHIRValueSetTable.swift"
COMMAND = "python3 scripts/generate-fhir-tables.py ../shared/fhir-r4"
FHIR_TYPE_EXT = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"
SD_PREFIX = "http://hl7.org/fhir/StructureDefinition/"


def load_bundle(folder, name):
    with open(os.path.join(folder, name), encoding="utf-8") as handle:
        bundle = json.load(handle)
    return [entry["resource"] for entry in bundle.get("entry", [])]


def strip_version(url):
    return url.split("|", 1)[0]


def type_code(sd, element, type_entry):
    code = type_entry["code"]
    if code.startswith("http://hl7.org/fhirpath/System."):
        fhir_type = None
        for ext in type_entry.get("extension", []):
            if ext.get("url") == FHIR_TYPE_EXT:
                fhir_type = ext.get("valueUrl") or ext.get("valueUri")
        path = element["path"]
        # Resource.id is the logical id (type id), whatever the snapshot encodes.
        if sd["kind"] == "resource" and path.count(".") == 1 and path.endswith(".id"):
            return "id"
        return fhir_type or "string"
    return code


def clean(text):
    if any(ch in text for ch in "\t\n\r"):
        raise ValueError("unexpected whitespace in table value: %r" % text)
    return text


def structure_table(sds):
    resources, complexes, primitives = [], [], []
    lines = []
    for sd in sds:
        kind = sd["kind"]
        if sd.get("abstract"):
            continue
        name = sd["type"]
        if kind == "resource":
            resources.append(name)
        elif kind == "complex-type":
            complexes.append(name)
        elif kind == "primitive-type":
            primitives.append(name)
            continue
        else:
            continue
        elements = sd["snapshot"]["element"]
        paths = [e["path"] for e in elements]
        for element in elements[1:]:
            path = element["path"]
            has_children = any(p.startswith(path + ".") for p in paths)
            if "contentReference" in element:
                types = element["contentReference"]
                if not types.startswith("#"):
                    raise ValueError("unsupported contentReference at " + path)
            elif has_children:
                types = "@"
            else:
                codes = [type_code(sd, element, t) for t in element.get("type", [])]
                if not codes:
                    raise ValueError("element without type at " + path)
                types = ",".join(dict.fromkeys(codes))
            binding = "-"
            b = element.get("binding")
            if b and b.get("strength") == "required" and b.get("valueSet"):
                binding = strip_version(b["valueSet"])
            targets = "-"
            target_names = []
            for t in element.get("type", []):
                if t["code"] == "Reference":
                    for profile in t.get("targetProfile", []):
                        target_names.append(strip_version(profile).rsplit("/", 1)[-1])
            if target_names:
                targets = "*" if "Resource" in target_names else ",".join(sorted(set(target_names)))
            elif "Reference" in types.split(","):
                targets = "*"
            lines.append((path, "\t".join(clean(x) for x in [
                "E", path, str(element["min"]), element["max"], types, binding, targets])))
    # The members a primitive value's "_name" object may carry, as a pseudo-type "Element".
    string_sd = next(sd for sd in sds if sd["type"] == "string" and sd["kind"] == "primitive-type")
    for element in string_sd["snapshot"]["element"]:
        if element["path"] in ("string.id", "string.extension"):
            path = "Element." + element["path"].split(".", 1)[1]
            codes = [type_code(string_sd, element, t) for t in element["type"]]
            lines.append((path, "\t".join(["E", path, str(element["min"]), element["max"],
                                           ",".join(codes), "-", "-"])))
    # Stable order: by type then by the order of the path components.
    lines.sort(key=lambda item: item[0])
    out = ["R\t" + n for n in sorted(set(resources))]
    out += ["C\t" + n for n in sorted(set(complexes))]
    out += ["P\t" + n for n in sorted(set(primitives))]
    out += [line for _, line in lines]
    return out, len(set(resources)), len(set(complexes)), len(set(primitives)), len(lines)


def all_codes(concepts):
    result = []
    for concept in concepts or []:
        result.append(concept["code"])
        result.extend(all_codes(concept.get("concept")))
    return result


def descendants(concepts, code, inside=False):
    """Codes at or below `code` (is-a) in a nested concept tree."""
    result = []
    for concept in concepts or []:
        here = inside or concept["code"] == code
        if here:
            result.append(concept["code"])
        result.extend(descendants(concept.get("concept"), code, here))
    return result


class Unexpandable(Exception):
    pass


def expand(vs, value_sets, code_systems, stack=()):
    """Returns {system: set(codes)} or raises Unexpandable."""
    url = vs["url"]
    if url in stack:
        raise Unexpandable(url)
    compose = vs.get("compose")
    if not compose or not compose.get("include"):
        raise Unexpandable(url)

    def part(inc):
        result = {}
        if "valueSet" in inc:
            for ref in inc["valueSet"]:
                ref = strip_version(ref)
                if ref not in value_sets:
                    raise Unexpandable(ref)
                for system, codes in expand(value_sets[ref], value_sets, code_systems, stack + (url,)).items():
                    result.setdefault(system, set()).update(codes)
            if "system" not in inc:
                return result
        system = inc.get("system")
        if not system:
            raise Unexpandable(url)
        if "concept" in inc:
            codes = {c["code"] for c in inc["concept"]}
        else:
            cs = code_systems.get(system)
            if cs is None or cs.get("content") not in ("complete", None):
                raise Unexpandable(url)
            codes = set(all_codes(cs.get("concept")))
            for flt in inc.get("filter", []):
                if flt.get("property") == "concept" and flt.get("op") == "is-a":
                    codes &= set(descendants(cs.get("concept"), flt["value"]))
                else:
                    raise Unexpandable(url)
        if "valueSet" in inc:
            # intersection of the system part with the referenced value sets
            codes &= result.get(system, set())
            result = {}
        result.setdefault(system, set()).update(codes)
        return result

    total = {}
    for inc in compose["include"]:
        for system, codes in part(inc).items():
            total.setdefault(system, set()).update(codes)
    for exc in compose.get("exclude", []):
        for system, codes in part(exc).items():
            if system in total:
                total[system] -= codes
    return {s: c for s, c in total.items() if c}


def valueset_table(sds, vss, css):
    value_sets = {vs["url"]: vs for vs in vss}
    code_systems = {cs["url"]: cs for cs in css}
    bound = set()
    for sd in sds:
        for element in sd.get("snapshot", {}).get("element", []):
            b = element.get("binding")
            if b and b.get("strength") == "required" and b.get("valueSet"):
                bound.add(strip_version(b["valueSet"]))
    expansions = {}
    unexpandable = []
    for url in sorted(bound):
        vs = value_sets.get(url)
        try:
            if vs is None:
                raise Unexpandable(url)
            expansions[url] = expand(vs, value_sets, code_systems)
            if not expansions[url]:
                del expansions[url]
                raise Unexpandable(url)
        except Unexpandable:
            unexpandable.append(url)
    # Shared code lists: whole code systems used in full by some value set.
    full = {}
    for system, cs in code_systems.items():
        full[system] = set(all_codes(cs.get("concept")))
    shared = set()
    for expansion in expansions.values():
        for system, codes in expansion.items():
            if system in full and codes == full[system] and len(codes) > 3:
                shared.add(system)
    out = []
    for system in sorted(shared):
        out.append("\t".join(["S", clean(system)] + [clean(c) for c in sorted(full[system])]))
    for url in sorted(expansions):
        out.append("V\t" + clean(url))
        for system in sorted(expansions[url]):
            codes = expansions[url][system]
            if system in shared and codes == full[system]:
                out.append("=\t" + system)
            else:
                out.append("\t".join(["+", clean(system)] + [clean(c) for c in sorted(codes)]))
    for url in sorted(unexpandable):
        out.append("X\t" + clean(url))
    return out, len(expansions), len(unexpandable)


def swift_file(name, comment, lines):
    body = "\n".join(lines)
    if '"""#' in body:
        raise ValueError("table text would end the raw string")
    return (
        "// GENERATED FILE - DO NOT EDIT.\n"
        "// Generated by scripts/generate-fhir-tables.py from the FHIR R4 (4.0.1) definitions.\n"
        "// Regenerate from the package root with:\n"
        "//     " + COMMAND + "\n"
        "// " + comment + "\n\n"
        "extension FHIRGeneratedTables {\n"
        "    static let " + name + " = #\"\"\"\n" + body + "\n\"\"\"#\n"
        "}\n"
    )


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: %s <fhir-r4 definitions folder>\n" % sys.argv[0])
        return 2
    folder = sys.argv[1]
    sds = load_bundle(folder, "structure-definitions.json")
    vss = load_bundle(folder, "value-sets-required.json")
    css = load_bundle(folder, "code-systems-required.json")
    sds.sort(key=lambda sd: sd["url"])

    structure, n_res, n_cx, n_prim, n_el = structure_table(sds)
    valuesets, n_vs, n_vx = valueset_table(sds, vss, css)

    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    out_dir = os.path.join(root, "Sources", "FHIR", "Generated")
    os.makedirs(out_dir, exist_ok=True)
    files = {
        STRUCTURE_FILE: swift_file(
            "structureTable",
            "%d resource types, %d complex types, %d primitive types, %d elements."
            % (n_res, n_cx, n_prim, n_el),
            structure),
        VALUESET_FILE: swift_file(
            "valueSetTable",
            "%d expanded required value sets, %d that cannot be expanded here." % (n_vs, n_vx),
            valuesets),
    }
    for name, text in files.items():
        with open(os.path.join(out_dir, name), "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        print("wrote Sources/FHIR/Generated/%s (%d bytes)" % (name, len(text.encode("utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
