#!/usr/bin/env python3
"""Validates a sample of FHIR NDJSON with an independent validator: the R4 models of the
Python package fhir.resources 6.4.0 (pydantic 1), which share no code or definitions with
JoinedUp's own validator. A second opinion catches what our reading of the R4 definitions
gets wrong; a check that shares our reading cannot.

Usage: validate-fhir-sample.py DIR [--per-type N] [--seed S]

Reads every *.ndjson and *.ndjson.gz file in DIR (not below it), takes up to N resources per
file (default 200) by reservoir sampling with a fixed seed, so the same files give the same
sample and the sample spans the whole file rather than its first people, validates each,
prints counts per file and every failure with its line, and exits 1 on any failure (2 when
there is nothing to check or the validator is not the one named above).

What fhir.resources 6.4.0 checks: element names (unknown elements are refused), cardinality
and required elements, datatypes, primitive formats (dates, ids, ...), choice types,
resourceType. What it does not: code bindings (gender "bloke" passes), invariants, profiles.
Install: pip install fhir.resources==6.4.0 "pydantic[email]>=1.10,<2" (6.4.0 needs
pydantic 1 but does not say so).
"""
import argparse
import gzip
import json
import random
import sys
import zlib
from pathlib import Path

EXPECTED_PACKAGE = "6.4.0"
EXPECTED_FHIR = "4.0.1"  # R4; fhir.resources 6.4.0's top-level models are R4, not R4B.


def load_validator():
    try:
        import fhir.resources as package
        from fhir.resources.fhirtypesvalidators import get_fhir_model_class
        from pydantic import ValidationError
    except ImportError as error:
        print(f"error: cannot import fhir.resources {EXPECTED_PACKAGE} ({error}); "
              f"pip install fhir.resources=={EXPECTED_PACKAGE} 'pydantic[email]>=1.10,<2'", file=sys.stderr)
        sys.exit(2)
    if package.__version__ != EXPECTED_PACKAGE or package.__fhir_version__ != EXPECTED_FHIR:
        print(f"error: found fhir.resources {package.__version__} (FHIR {package.__fhir_version__}); "
              f"this check needs {EXPECTED_PACKAGE} (FHIR {EXPECTED_FHIR}, R4)", file=sys.stderr)
        sys.exit(2)
    return get_fhir_model_class, ValidationError


def sample_lines(path, size, seed):
    """Up to `size` (line number, text) pairs, uniformly from the whole file, in file order.
    Reservoir sampling reads the file once and holds only the sample, whatever its size."""
    opener = gzip.open if path.name.endswith(".gz") else open
    rng = random.Random(f"{seed}:{path.name}")
    reservoir = []
    seen = 0
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            seen += 1
            if len(reservoir) < size:
                reservoir.append((number, line))
            else:
                slot = rng.randrange(seen)
                if slot < size:
                    reservoir[slot] = (number, line)
    return seen, sorted(reservoir)


def check(line, model_class, validation_error):
    """None if the resource is valid, else why not."""
    try:
        resource = json.loads(line)
    except json.JSONDecodeError as error:
        return f"not JSON: {error}"
    if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
        return "not a resource: no resourceType"
    try:
        model = model_class(resource["resourceType"])
    except KeyError:
        return f"unknown R4 resource type {resource['resourceType']}"
    try:
        model.parse_obj(resource)
    except validation_error as error:
        where = f"{resource['resourceType']}/{resource.get('id', '(no id)')}"
        return where + ": " + "; ".join(
            f"{resource['resourceType']}.{'.'.join(map(str, fault['loc']))}: {fault['msg']}" for fault in error.errors())
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--per-type", type=int, default=200, metavar="N", help="resources sampled per file (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="the sampling seed (default 0)")
    arguments = parser.parse_args()
    model_class, validation_error = load_validator()

    files = sorted(p for p in arguments.directory.iterdir()
                   if p.is_file() and (p.name.endswith(".ndjson") or p.name.endswith(".ndjson.gz")))
    if not files:
        print(f"error: no *.ndjson or *.ndjson.gz files in {arguments.directory}", file=sys.stderr)
        return 2

    failures = 0
    checked = 0
    print(f"fhir.resources {EXPECTED_PACKAGE} (FHIR {EXPECTED_FHIR}), up to {arguments.per_type} per file:")
    for path in files:
        try:
            total, sample = sample_lines(path, arguments.per_type, arguments.seed)
        except (OSError, EOFError, UnicodeDecodeError, zlib.error) as error:
            print(f"  {path.name}: unreadable: {error}")
            failures += 1
            continue
        problems = [(number, reason) for number, line in sample
                    if (reason := check(line, model_class, validation_error)) is not None]
        checked += len(sample)
        failures += len(problems)
        print(f"  {path.name:<36} {len(sample):>6} checked of {total:>9}  {len(problems)} failed")
        for number, reason in problems:
            print(f"    line {number}: {reason}")
    print(f"{checked} resources checked, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
