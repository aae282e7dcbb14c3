#!/usr/bin/env python3
# tests/validate-json.py SCHEMA DOCUMENT: validates the JSON DOCUMENT
# against the JSON schema SCHEMA (draft 7) with python3-jsonschema,
# resolving every $ref from the files beside SCHEMA and never over the
# network (the CycloneDX 1.6 schema refers to spdx.SNAPSHOT.schema.json and
# jsf-0.82.SNAPSHOT.schema.json beside it).  Prints "valid", or each error
# with its place in the document, and exits 1.  Works with jsonschema 4.10
# (Debian 12's, RefResolver) and later (the referencing package).
import glob
import json
import os
import sys
import urllib.parse


def main():
    if len(sys.argv) != 3:
        print("usage: validate-json.py SCHEMA DOCUMENT", file=sys.stderr)
        return 2
    import jsonschema

    schema_path, doc_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(doc_path, encoding="utf-8") as f:
        doc = json.load(f)
    # every schema beside it, under its $id and under the name a relative
    # $ref gives it against the main schema's $id
    base = schema.get("$id", "")
    store = {}
    for p in glob.glob(os.path.join(os.path.dirname(os.path.abspath(schema_path)), "*.json")):
        with open(p, encoding="utf-8") as f:
            try:
                s = json.load(f)
            except ValueError:
                continue
        if not isinstance(s, dict):
            continue
        if "$id" in s:
            store[s["$id"]] = s
        store[urllib.parse.urljoin(base, os.path.basename(p))] = s
    store[base] = schema

    checker = getattr(jsonschema.Draft7Validator, "FORMAT_CHECKER", None)
    if checker is None:
        checker = jsonschema.draft7_format_checker
    try:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT7

        registry = Registry().with_resources(
            (uri, Resource.from_contents(s, default_specification=DRAFT7))
            for uri, s in store.items())
        validator = jsonschema.Draft7Validator(schema, registry=registry,
                                               format_checker=checker)
    except ImportError:
        resolver = jsonschema.RefResolver(base, schema, store=store)
        validator = jsonschema.Draft7Validator(schema, resolver=resolver,
                                               format_checker=checker)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        where = "/".join(str(p) for p in e.absolute_path) or "(document)"
        print("%s: %s: %s" % (doc_path, where, e.message[:300]))
    if errors:
        print("%s: %d errors" % (doc_path, len(errors)))
        return 1
    print("valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
