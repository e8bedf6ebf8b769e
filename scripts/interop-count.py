#!/usr/bin/env python3
"""Count the HTML pages with HTTP status 200 in WARC and ARC files.

An independent count for scripts/interop-check: written from the formats'
specifications with the standard library only, sharing no code or logic with
accord's Rust reader. Usage: interop-count.py FILE...; prints "FILE<TAB>COUNT"
per file. Gzip files are read member by member; a damaged or truncated member
ends the count of that file (what came before it is counted).
"""
import sys
import zlib


def gunzip_members(data):
    out = bytearray()
    pos = 0
    while pos < len(data) and data[pos:pos + 2] == b"\x1f\x8b":
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += d.decompress(data[pos:])
        except zlib.error:
            break
        if not d.eof:
            break
        pos = len(data) - len(d.unused_data)
    return bytes(out)


def http_is_html_200(block, fallback_type):
    lines = block.replace(b"\r", b"").split(b"\n")
    if not lines or not lines[0].startswith(b"HTTP/"):
        return False
    parts = lines[0].split()
    if len(parts) < 2 or parts[1] != b"200":
        return False
    ctype = None
    for line in lines[1:]:
        if not line.strip():
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-type" and value.strip():
            ctype = value.strip().lower()
    if ctype is None:
        ctype = (fallback_type or b"").lower()
    return ctype.startswith(b"text/html") or ctype.startswith(b"application/xhtml")


def count_warc(data):
    n = 0
    pos = 0
    while True:
        start = data.find(b"WARC/", pos)
        if start < 0:
            return n
        end_of_head = data.find(b"\n", start)
        headers = {}
        cur = end_of_head + 1
        while True:
            nl = data.find(b"\n", cur)
            if nl < 0:
                return n
            line = data[cur:nl].rstrip(b"\r")
            cur = nl + 1
            if not line:
                break
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        try:
            length = int(headers.get(b"content-length", b"-1"))
        except ValueError:
            length = -1
        if length < 0:
            pos = cur
            continue
        block = data[cur:cur + length]
        pos = cur + length
        if len(block) < length:
            return n
        if headers.get(b"warc-type", b"").lower() != b"response":
            continue
        if not headers.get(b"content-type", b"application/http").lower().startswith(b"application/http"):
            continue
        if http_is_html_200(block, headers.get(b"warc-identified-payload-type")):
            n += 1


def count_arc(data):
    n = 0
    pos = 0
    while pos < len(data):
        nl = data.find(b"\n", pos)
        if nl < 0:
            break
        fields = data[pos:nl].split()
        pos = nl + 1
        if not fields:
            continue
        length = int(fields[-1])
        block = data[pos:pos + length]
        pos += length
        if fields[0].lower().startswith(b"http") and http_is_html_200(block, fields[3]):
            n += 1
    return n


def main(paths):
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        if data[:2] == b"\x1f\x8b":
            data = gunzip_members(data)
        count = count_arc(data) if data.startswith(b"filedesc://") else count_warc(data)
        print(f"{path}\t{count}")


if __name__ == "__main__":
    main(sys.argv[1:])
