"""Writes the tutorial's spreadsheet of (fictional) leaked accounts: emails.xlsx.

Made here rather than downloaded, and byte-for-byte the same on every run (fixed document dates and zip
timestamps), so its encrypted checksum, and therefore the dataset's on-chain address, only change when
this list does.  Usage: python3 make_emails.py OUT.xlsx
"""
import datetime
import io
import re
import sys
import zipfile

from openpyxl import Workbook

ROWS = [
    ("Alice Martin", "Example Org", "alice@example.org"),
    ("Bob Durand", "Example Org", "bob@example.org"),
    ("Carol Nguyen", "Acme", "carol@acme.example"),
    ("Dan Okafor", "Acme", "dan@acme.example"),
    ("Erin Silva", "Globex", "erin@globex.example"),
]
FIXED = datetime.datetime(2024, 1, 1, 0, 0, 0)


def workbook_bytes():
    wb = Workbook()
    ws = wb.active
    ws.title = "leaks"
    ws.append(("name", "company", "email"))
    for row in ROWS:
        ws.append(row)
    wb.properties.creator = "teeflow example"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def deterministic(xlsx):
    """The same archive with fixed timestamps (openpyxl stamps entries and docProps with 'now')."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data)
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "emails.xlsx"
    data = deterministic(workbook_bytes())
    with open(target, "wb") as f:
        f.write(data)
    print("wrote %s (%d rows, %d bytes)" % (target, len(ROWS), len(data)))
