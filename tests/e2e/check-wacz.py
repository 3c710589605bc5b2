"""Reads a WACZ package back with the Python tools investigators use.

Every file in the zip is checked against the SHA-256 and size that
datapackage.json lists for it, datapackage.json against
datapackage-digest.json, and every WARC record is read with warcio (the
Webrecorder library, not the JavaScript one that wrote it), its block hashed
and compared with its WARC-Block-Digest and WARC-Payload-Digest.

Usage: check-wacz.py FILE.wacz   prints one JSON object; exit status 1 when a check failed.
"""

import base64
import hashlib
import io
import json
import sys
import zipfile

from warcio.archiveiterator import ArchiveIterator


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def main(path):
    problems = []
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        datapackage_bytes = z.read("datapackage.json")
        datapackage = json.loads(datapackage_bytes)
        digest = json.loads(z.read("datapackage-digest.json"))
        stored = {i.filename: i.compress_type for i in z.infolist()}
        files = {}
        for res in datapackage["resources"]:
            data = z.read(res["path"])
            files[res["path"]] = data
            if sha256(data) != res["hash"]:
                problems.append(f"{res['path']}: SHA-256 differs from datapackage.json")
            if len(data) != res["bytes"]:
                problems.append(f"{res['path']}: size differs from datapackage.json")
        for name in names:
            if name not in files and name not in ("datapackage.json", "datapackage-digest.json"):
                problems.append(f"{name}: not listed in datapackage.json")
        if sha256(datapackage_bytes) != digest["hash"]:
            problems.append("datapackage-digest.json: hash is not the SHA-256 of datapackage.json")
        if stored.get("archive/data.warc.gz") != zipfile.ZIP_STORED:
            problems.append("archive/data.warc.gz is compressed in the zip (WACZ wants it stored)")

    records = []
    for record in ArchiveIterator(io.BytesIO(files["archive/data.warc.gz"])):
        block = record.content_stream().read()
        headers = record.rec_headers
        entry = {
            "type": record.rec_type,
            "uri": headers.get_header("WARC-Target-URI"),
            "mime": headers.get_header("Content-Type"),
            "id": headers.get_header("WARC-Record-ID"),
            "concurrentTo": headers.get_header("WARC-Concurrent-To"),
            "date": headers.get_header("WARC-Date"),
            "version": record.rec_headers.protocol,
            "bytes": len(block),
            "sha256": sha256(block),
        }
        if record.rec_type in ("resource", "metadata"):
            want = headers.get_header("WARC-Block-Digest")
            if want != entry["sha256"]:
                problems.append(f"record {entry['uri']}: WARC-Block-Digest {want} does not match its block")
            payload = headers.get_header("WARC-Payload-Digest")
            if payload and payload != entry["sha256"]:
                problems.append(f"record {entry['uri']}: WARC-Payload-Digest does not match its block")
        if record.rec_type == "metadata" or entry["mime"].startswith(("text/plain", "application/json", "application/ld+json")):
            entry["text"] = block.decode("utf-8")
        if record.rec_type == "resource" and entry["mime"].startswith("text/html"):
            entry["text"] = block.decode("utf-8")
        if record.rec_type == "warcinfo":
            entry["text"] = block.decode("utf-8")
        records.append(entry)

    out = {
        "ok": not problems,
        "problems": problems,
        "files": sorted(names),
        "records": records,
        "publicKey": digest.get("signedData", {}).get("publicKey"),
        "signature": digest.get("signedData", {}).get("signature"),
        "hash": digest.get("hash"),
    }
    json.dump(out, sys.stdout)
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
