"""Writes the bad-file corpus next to this script: `python tests/badfiles/make_corpus.py`.

The files are committed; this script only says how each was made. Each file's
expected message (a part of it) is in expected.json. The file over the size
limit is made by the test itself (2 MB is too big to keep in the repository).
"""

import io
import json
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
HEADER = "ID,Stage,Item,Notes,Required,Assignee,Due,Done\n"


def xlsx_bytes(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (80 * 1024 * 1024) + b">")
    return out.getvalue()


def plain_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return out.getvalue()


FILES = {
    "empty.csv": b"",
    "blank_lines.csv": b"\n\n   \n",
    "header_only.csv": HEADER.encode(),
    "latin1.csv": ("Stage,Item\nSoundcheck,Réglage des retours\n").encode("latin-1"),
    "utf16_with_bom.csv": ("Stage,Item\nSoundcheck,Line check\n").encode("utf-16"),
    "utf16_without_bom.csv": ("Stage,Item\nSoundcheck,Line check\n").encode("utf-16-le"),
    "missing_item_column.csv": b"Stage,Notes\nSoundcheck,bring spares\n",
    "renamed_column.csv": b"Stage,Titel\nSoundcheck,Line check\n",
    "extra_column.csv": b"Stage,Item,Budget\nSoundcheck,Line check,400\n",
    "duplicate_column.csv": b"Stage,Item,Item\nSoundcheck,Line check,Line check\n",
    "unknown_stage.csv": b"Stage,Item\nSound check,Line check\n",
    "impossible_date.csv": b"Stage,Item,Due\nSoundcheck,Line check,2027-02-30\n",
    "ambiguous_date.csv": b"Stage,Item,Due\nSoundcheck,Line check,03/10/2027\n",
    "duplicate_ids.csv": b"ID,Stage,Item\n777,Soundcheck,Line check\n777,Soundcheck,Wedges\n",
    "foreign_id.csv": b"ID,Stage,Item\n999999999,Soundcheck,Line check\n",
    "id_not_a_number.csv": b"ID,Stage,Item\nabc,Soundcheck,Line check\n",
    "done_not_yes_no.csv": b"Stage,Item,Done\nSoundcheck,Line check,maybe\n",
    "empty_title.csv": b"Stage,Item\nSoundcheck,\n",
    "unknown_assignee.csv": b"Stage,Item,Assignee\nSoundcheck,Line check,Lia Chan\n",
    "too_many_cells.csv": b"Stage,Item\nSoundcheck,Line check,surprise\n",
    "same_new_item_twice.csv": b"Stage,Item\nSoundcheck,Wedges\nSoundcheck,wedges\n",
    "title_too_long.csv": ("Stage,Item\nSoundcheck," + "x" * 301 + "\n").encode(),
    "huge_field.csv": ('Stage,Item\nSoundcheck,"' + "x" * 200_000 + '"\n').encode(),
    "ten_thousand_rows.csv": (
        "Stage,Item\n" + "".join(f"Soundcheck,Item {n}\n" for n in range(10_000))
    ).encode(),
    "zip_bomb.xlsx": zip_bomb(),
    "csv_named.xlsx": b"Stage,Item\nSoundcheck,Line check\n",
    "plain_zip.xlsx": plain_zip(),
    "truncated.xlsx": xlsx_bytes([["Stage", "Item"], ["Soundcheck", "Line check"]])[:900],
    "xlsx_named.csv": xlsx_bytes([["Stage", "Item"], ["Soundcheck", "Line check"]]),
    "legacy.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
    "rider.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    "bad_date.xlsx": xlsx_bytes(
        [["Stage", "Item", "Due"], ["Soundcheck", "Line check", "2027-13-01"]]
    ),
    "xlsx_unknown_stage.xlsx": xlsx_bytes([["Stage", "Item"], ["Sound check", "Line check"]]),
}


if __name__ == "__main__":
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)
    expected = json.loads((HERE / "expected.json").read_text())
    print(f"wrote {len(FILES)} files; expected messages: {len(expected)}")
