"""The email checker: is the requester's secret email in the confidential spreadsheet?

Runs inside an iExec TEE task. The worker gives it:
  IEXEC_IN / IEXEC_DATASET_FILENAME   the decrypted dataset (an .xlsx file)
  IEXEC_REQUESTER_SECRET_1            the email to look for (a requester secret, never in logs)
  IEXEC_OUT                           where results go
Exit codes (as in the iExec tutorial): 11 no secret given, 3 dataset missing or unreadable.
"""
import json
import os
import sys

from openpyxl import load_workbook

EMAIL_COLUMN = 2  # third column: name, company, email

iexec_out = os.environ.get("IEXEC_OUT", "/iexec_out")
iexec_in = os.environ.get("IEXEC_IN", "/iexec_in")
dataset_filename = os.environ.get("IEXEC_DATASET_FILENAME", "")

secret_email = os.environ.get("IEXEC_REQUESTER_SECRET_1")
if not secret_email:
    print("no requester secret 1 (the email to check) was given", file=sys.stderr)
    sys.exit(11)

verbose = "--verbose" in sys.argv[1:]
answer = "This email is safe!"
try:
    # a file object: the dataset is named after its address, without the .xlsx extension openpyxl
    # would otherwise insist on
    with open(os.path.join(iexec_in, dataset_filename), "rb") as data:
        workbook = load_workbook(data)
    sheet = workbook.worksheets[0]
    rows = 0
    for row in sheet.iter_rows(min_row=2, values_only=True):
        rows += 1
        cell = row[EMAIL_COLUMN] if len(row) > EMAIL_COLUMN else None
        if isinstance(cell, str) and cell.strip().lower() == secret_email.strip().lower():
            answer = "This email is compromised!"
            break
    if verbose:
        print("checked %d row(s) of the dataset" % rows)  # never the email itself
except Exception as e:  # missing, unreadable or not a spreadsheet
    print("cannot read the dataset %s: %s" % (dataset_filename, type(e).__name__), file=sys.stderr)
    sys.exit(3)

with open(os.path.join(iexec_out, "result.txt"), "w") as out:
    out.write(answer + "\n")
with open(os.path.join(iexec_out, "computed.json"), "w") as f:
    json.dump({"deterministic-output-path": os.path.join(iexec_out, "result.txt")}, f)
print(answer)
