"""Before/after quiz results: from the facilitator's counts to class and district reports.

The loop a session closes, on the user's own machine and with no pupil's name anywhere:
a results sheet per class (counts only), read and checked row by row, added up into
class reports (one A4 PDF each) and a district report (PDF, HTML, CSV and JSON).

One module per concern: `columns` (the sheet's headers), `template` (the spreadsheet to
fill in), `reading` and `privacy` (rows in, checked), `aggregate` (the sums and spreads),
`charts` and `vector` (matplotlib drawings placed in the PDFs as vectors),
`class_report`, `district_report`, `exports` (CSV, JSON, HTML) and `run` (the calls
`kit results` makes).
"""
