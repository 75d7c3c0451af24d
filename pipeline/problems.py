"""The catalogue of problems eqplan reports, each with a stable code.

Modelled on frictionless-py's error catalogue, with a fix hint added: every
kind has a code, a severity, a title, a description of why it matters, a
message template and a hint written for an equality officer. A code is never
renamed or reused for another meaning; retired codes stay listed with
`retired=True`. `docs/problems.md` is generated from this catalogue
(`eqplan problems --markdown`), and a test keeps the two in step.
"""

from __future__ import annotations

from pipeline.problem_types import Kind, Problem, Severity

__all__ = ["CATALOGUE", "Kind", "Problem", "Severity", "codes"]


E, W = Severity.ERROR, Severity.WARNING

CATALOGUE: dict[str, Kind] = {}


def _kind(code: str, severity: Severity, title: str, description: str, template: str, hint: str):
    if code in CATALOGUE:
        raise ValueError(f"problem code {code} is defined twice")
    CATALOGUE[code] = Kind(code, severity, title, description, template, hint)
    return CATALOGUE[code]


# fmt: off
# -- files: eqplan cannot read the workbook at all (exit code 2) ------------------------
FILE_NOT_FOUND = _kind(
    "FILE_NOT_FOUND", E, "File not found",
    "The path given does not lead to a file.",
    "{path} does not exist or is not a file.",
    "Check the file name and folder, or give the full path.",
)
FILE_EMPTY = _kind(
    "FILE_EMPTY", E, "Empty file",
    "The file has no content, often because a save or download did not finish.",
    "{path} is empty (0 bytes).",
    "Save the workbook again from Excel, then retry.",
)
FILE_NOT_XLSX = _kind(
    "FILE_NOT_XLSX", E, "Not an Excel workbook",
    "eqplan reads Excel workbooks (.xlsx). Other formats renamed to .xlsx cannot be read.",
    "{path} is {found}, not an Excel workbook (.xlsx).",
    "Open it in Excel or LibreOffice and use File > Save As > Excel Workbook (.xlsx).",
)
FILE_IS_LOCK = _kind(
    "FILE_IS_LOCK", E, "Excel's lock file, not a workbook",
    "While a workbook is open, Excel keeps a small hidden file beside it whose name starts with ~$. It is not the workbook, and a folder of returns often holds one.",
    "{path} is the lock file Excel keeps beside a workbook while it is open, not a workbook.",
    "Leave it out and give the workbook itself. The lock file goes when the workbook is closed; if it stays after Excel is closed, delete it.",
)
FILE_DAMAGED = _kind(
    "FILE_DAMAGED", E, "Damaged workbook",
    "The file looks like a workbook but parts of it are missing or unreadable.",
    "{path} is damaged and cannot be read ({detail}).",
    "Open it in Excel (it may offer to repair it) and save a new copy as .xlsx.",
)
FILE_ENCRYPTED = _kind(
    "FILE_ENCRYPTED", E, "Password-protected workbook",
    "A workbook with an open password is encrypted; eqplan cannot read it and will not ask for passwords.",
    "{path} is protected with a password.",
    "Save a copy without a password (File > Info > Protect Workbook > Encrypt with Password, clear the box) and use that copy.",
)
FILE_TOO_LARGE = _kind(
    "FILE_TOO_LARGE", E, "Workbook far too large",
    "The workbook would expand to far more data than any action plan holds. eqplan checks sizes before reading, which protects against 'zip bomb' files: it refuses a workbook that would unzip to more than 100 MB in one part or 200 MB in all, or that has more than 1,000,000 filled cells in one sheet (a 10,000-action plan is about 11 MB and 100,000 cells).",
    "{path} is too large to be an action plan ({detail}).",
    "Remove unused sheets, pictures and formatting, or copy the plan's sheets into a new workbook.",
)
FILE_UNSAFE = _kind(
    "FILE_UNSAFE", E, "Unsafe content in workbook",
    "The workbook contains XML features (document type declarations or entities) that Excel never writes and that can be used to attack the reader.",
    "{path} contains unsafe XML in {part}.",
    "Open the workbook in Excel and save a new copy, or ask IT to check where it came from.",
)
FILE_MACROS = _kind(
    "FILE_MACROS", W, "Macro-enabled workbook",
    "eqplan reads the data of an .xlsm workbook but never runs its macros.",
    "{path} is macro-enabled; its macros were ignored and only the data was read.",
    "Nothing to do, unless you expected macros to fill in values: run them in Excel first.",
)
FILE_EXTERNAL_LINKS = _kind(
    "FILE_EXTERNAL_LINKS", W, "Links to other files or programs",
    "The workbook keeps links to other workbooks or to programs (Excel's external links and DDE links). When it is opened, Excel may offer to update them, which reads the other file or starts the program. eqplan never follows them, and a cell whose formula uses one is reported at that cell.",
    "{path} links to: {links}.",
    "If Excel asks whether to update links or enable content, choose Don't Update. To remove the links, use Data > Edit Links (Workbook Links in newer Excel) > Break Link, which keeps each cell's value, then save. If you did not add them, ask IT to check where the workbook came from.",
)
FILE_EXTENSION = _kind(
    "FILE_EXTENSION", W, "Unexpected file extension",
    "The file is an Excel workbook but its name does not end in .xlsx.",
    "{path} is an Excel workbook named '{suffix}'.",
    "Rename the file to end in .xlsx so that others can open it safely.",
)
# -- structure ---------------------------------------------------------------------------
SHEET_MISSING = _kind(
    "SHEET_MISSING", E, "Sheet missing",
    "eqplan finds each part of the plan by its sheet name.",
    "No sheet called '{sheet_name}'. Sheets found: {found}.{suggestion}",
    "Add or rename a sheet to '{sheet_name}', or start again from a fresh template (eqplan template).",
)
SPLIT_WORKBOOK = _kind(
    "SPLIT_WORKBOOK", W, "One owner's workbook, not the plan",
    "eqplan split writes a workbook of the actions sent to one owner or section. Built or compared as if it were the plan, its figures would leave out every other action.",
    "This workbook was made by eqplan split: it holds only the actions sent to one owner or section, so its figures are not the whole plan's.",
    "Use the plan's own workbook. To bring an owner's updates into the plan, run eqplan merge with the plan and the returned workbooks.",
)
SHEET_NOT_READ = _kind(
    "SHEET_NOT_READ", W, "Sheet not read",
    "eqplan reads each part of the plan from the sheet with its name. A copy of a sheet (Excel names it 'Actions (2)') or another sheet with the Actions sheet's headings is not read, so rows added there are not in the plan.",
    "Sheet '{sheet_name}' looks like the '{read}' sheet but is not read, so its rows are not in the plan.",
    "eqplan reads only '{read}': move any rows that belong in the plan onto it. If '{sheet_name}' is an old copy kept for reference, delete it or leave it.",
)
SHEET_NO_HEADER = _kind(
    "SHEET_NO_HEADER", E, "Header row not found",
    "eqplan looks for the column headings in the first ten rows of each sheet.",
    "Could not find the heading row on '{sheet_name}' (looked for {expected} in rows 1 to 10).",
    "Put the column headings back in one row near the top, as in the template.",
)
COLUMN_MISSING = _kind(
    "COLUMN_MISSING", E, "Required column missing",
    "eqplan finds columns by their heading; a renamed or deleted required column means its data cannot be read.",
    "No column '{expected}' on '{sheet_name}'{found}.",
    "Rename the heading back to '{expected}' (case and spaces do not matter).",
)
COLUMN_DUPLICATE = _kind(
    "COLUMN_DUPLICATE", W, "Column heading used twice",
    "Two columns have the same heading; eqplan reads the first and ignores the second.",
    "'{expected}' appears twice on '{sheet_name}' ({first} and {second}); {second} is ignored.",
    "Rename or delete one of the two columns.",
)
COLUMN_NOT_READ = _kind(
    "COLUMN_NOT_READ", W, "Column not read",
    "eqplan finds columns by their heading. A heading close to one of its columns but not the same (such as 'Progress updates' for 'Progress update') is not read, so nothing in that column is in the plan. Columns of your own with other headings are ignored without a warning.",
    "The column '{found}' is not read, so its contents are not in the plan. It looks like '{expected}'.",
    "If it holds the {expected} column, rename the heading to '{expected}' (case and spaces do not matter). If it is a column of your own, nothing to do.",
)
MERGED_CELLS = _kind(
    "MERGED_CELLS", W, "Merged cells",
    "Merged cells hold their text only in the top-left cell. eqplan copies that text to every row of the merge, which may not be what you meant.",
    "Cells {range} are merged; '{column}' was copied to rows {rows}.",
    "Unmerge the cells (Home > Merge & Center) and fill in each row.",
)
HIDDEN_ROWS = _kind(
    "HIDDEN_ROWS", W, "Hidden or filtered rows with data",
    "Hidden rows are easy to forget, but they are still part of the plan and are included.",
    "{rows} hidden or filtered out, but still part of the plan.",
    "Unhide the rows or clear the filter to check them, or delete any row that should not be in the plan.",
)
HIDDEN_SHEET = _kind(
    "HIDDEN_SHEET", W, "Hidden sheet with data",
    "A plan sheet is hidden but still read.",
    "Sheet '{sheet_name}' is hidden but holds data; it is read as usual.",
    "Right-click a sheet tab > Unhide to check it (a sheet a macro made very hidden is not listed there; LibreOffice Calc's Sheet > Show Sheet shows it).",
)
# -- cell contents -------------------------------------------------------------------------
CELL_ERROR_VALUE = _kind(
    "CELL_ERROR_VALUE", E, "Excel error in a cell",
    "A cell shows an Excel error such as #REF! or #N/A instead of a value.",
    "The cell shows the Excel error {value}.",
    "Fix or replace the formula, or type the value in directly.",
)
FORMULA_NO_VALUE = _kind(
    "FORMULA_NO_VALUE", E, "Formula never calculated",
    "The cell holds a formula whose result was never saved, or was saved as the placeholder 0 for Excel to replace when the file is opened (the file was written by a program other than Excel), so its value is unknown.",
    "The cell holds a formula with no calculated value ({value}).",
    "Open the workbook in Excel and save it (in LibreOffice, press Ctrl+Shift+F9 to recalculate, then save), so the results are stored; or type the value instead of the formula.",
)
FORMULA_EXTERNAL = _kind(
    "FORMULA_EXTERNAL", E, "Formula reaching outside the workbook",
    "The cell holds a formula that can start a program (DDE, CALL, EXEC), read another file (a link to another workbook) or fetch from the internet (WEBSERVICE, or a HYPERLINK to anything but a web address). Its value is not the plan's own, may change whenever the workbook is opened, and recalculating it could harm the computer, so eqplan does not read the cell.",
    "The cell holds a formula that reaches outside the workbook ({value}), so its value was not read.",
    "Do not recalculate, refresh or update links, and do not enable content if Excel asks. Delete the formula and type the value the cell should hold. If you did not put it there, ask IT to check where the workbook came from.",
)
TEXT_CONTROL_CHARS = _kind(
    "TEXT_CONTROL_CHARS", W, "Invisible control characters removed",
    "The text holds control characters (often pasted from other systems) that Word cannot store or that a screen could act on. They were removed; line breaks were kept.",
    "Invisible control characters were removed from this cell.",
    "Nothing to do, unless the text looks wrong: retype it in the cell.",
)
TEXT_LONG = _kind(
    "TEXT_LONG", W, "Very long text",
    "Cells over 5,000 characters make the plan hard to read and may be cut off by Excel (its limit is 32,767).",
    "This cell holds {length:,} characters.",
    "Summarise the text, or move detail to a linked document.",
)
# -- the Plan sheet --------------------------------------------------------------------------
PLAN_FIELD_MISSING = _kind(
    "PLAN_FIELD_MISSING", E, "Required plan detail missing",
    "The cover and headings of the document need these details.",
    "'{field}' is empty.",
    "Fill in '{field}' on the Plan sheet.",
)
FRAMEWORK_UNKNOWN = _kind(
    "FRAMEWORK_UNKNOWN", E, "Unknown framework",
    "The Plan sheet names the framework the plan follows; eqplan must know it to check framework points.",
    "Framework {value} is not known. Known frameworks: {known}.",
    "Use one of the known ids, or pass your own framework file with --framework path.yaml.",
)
FRAMEWORK_MISMATCH = _kind(
    "FRAMEWORK_MISMATCH", E, "Framework differs from the Plan sheet",
    "The framework given on the command line is not the one the workbook was made for. Building would file the council's actions and self-assessment under another framework's points and titles, so the build stops.",
    "The workbook was made for framework {value}, but '{used}' was chosen: its actions would be filed under the other framework's points.",
    "Leave out --framework to use the framework the workbook was made for, or give the framework file it was made from.",
)
MEETING_BEFORE_REPORT = _kind(
    "MEETING_BEFORE_REPORT", W, "Meeting before the report date",
    "The committee meeting is before the date the figures are as at. It is usually last quarter's meeting, kept when eqplan next-period moved the report date on.",
    "The meeting date {meeting} is before the report date {report}.",
    "Type the date of the meeting this report goes to. Check the Report sheet's title and recommendations for last quarter's dates too.",
)
DATE_INVALID = _kind(
    "DATE_INVALID", E, "Report date not understood",
    "The report date decides which actions are overdue or due soon, so it must be a date.",
    "'{field}' {value} is not a date{detail}.",
    "Type a date such as 30/11/2026 (day first), or pick one from Excel's calendar.",
)
DATE_UNCLEAR = _kind(
    "DATE_UNCLEAR", W, "Date not understood",
    "The value could not be read as a date, so it is shown as written.",
    "{value} is not a date{detail}.",
    "Type a date such as 30/11/2026 (day first).",
)
DATE_AS_NUMBER = _kind(
    "DATE_AS_NUMBER", W, "Date stored as a number",
    "The cell holds a date's serial number in a cell formatted as General, as a number or as a duration ([h]:mm:ss); it was read as a date.",
    "{value} was read as the date {date}.",
    "Format the cell as a date (Home > Number Format > Short Date) so it reads as one.",
)
STATUS_UNKNOWN = _kind(
    "STATUS_UNKNOWN", W, "Status not recognised",
    "The plan status is shown on the cover; it should be Draft or Final.",
    "Status {value} is not Draft or Final; it is shown as written.",
    "Choose Draft or Final from the dropdown.",
)
FINANCIAL_YEARS_UNKNOWN = _kind(
    "FINANCIAL_YEARS_UNKNOWN", W, "Financial year style not recognised",
    "The Plan sheet's Financial years setting says how eqplan writes a financial year: 2026 to 2027 or 2026/27.",
    "Financial years {value} is not 2026 to 2027 or 2026/27; financial years are written 2026 to 2027.",
    "Choose 2026 to 2027 or 2026/27 from the dropdown, or leave the cell empty.",
)
REPORT_FIELDS_MISSING = _kind(
    "REPORT_FIELDS_MISSING", W, "Cover report details missing",
    "The committee cover report (eqplan build --cover or --pack) takes its words from the Report sheet, and the committee and meeting date it is addressed to from the Plan sheet. Where a Report sheet field is empty, eqplan writes standard wording, which may not suit your committee; where the committee or meeting date is empty, the cover report leaves it blank.",
    "{missing}",  # a sentence for each sheet, with its fields (validate/cover_checks.py)
    "Fill in these fields on the sheets named and build again. Where the cover report uses standard wording, check that it suits your committee. An older workbook without a Report sheet can take one copied from a new template (eqplan template).",
)
# -- sections and self-assessment -------------------------------------------------------------
MODULE_UNKNOWN = _kind(
    "MODULE_UNKNOWN", W, "Section not in the framework",
    "Each row of the Sections sheet belongs to one module of the framework.",
    "Module {value} is not part of {framework}; this row is ignored.",
    "Use the module numbers prefilled in the template.",
)
SECTION_ROW_MISSING = _kind(
    "SECTION_ROW_MISSING", W, "Module with no row on the Sections sheet",
    "The Sections sheet's rows give the plan its order, titles and lead officers. A module with no row still has its actions printed, but after the others, with no lead officer, so the sections after it are numbered differently from the last report.",
    "{module} has no row on the Sections sheet, so it is printed after the modules listed there, with no lead officer.",
    "Add a row for {module} on the Sections sheet, where it belongs in the plan's order, with its lead officer.",
)
LEAD_OFFICER_MISSING = _kind(
    "LEAD_OFFICER_MISSING", W, "Module with no lead officer",
    "Each section of the plan names the officer who leads it.",
    "No lead officer for '{module}'.",
    "Fill in the Lead officer on the Sections sheet.",
)
THEME_UNKNOWN = _kind(
    "THEME_UNKNOWN", W, "Self-assessment row not in the framework",
    "Each self-assessment row is one theme of the framework.",
    "Theme {value} is not part of {framework}; this row is ignored.",
    "Use the theme references prefilled in the template.",
)
LEVEL_INVALID = _kind(
    "LEVEL_INVALID", E, "Level not recognised",
    "Levels are compared to show progress, so they must be one of the levels of the plan's "
    "framework (for EFLG: Not started, Developing, Achieving or Excellent).",
    "{value} is not a level of {framework}.",
    "Choose one of the framework's levels ({levels}) from the dropdown.",
)
TARGET_BELOW_CURRENT = _kind(
    "TARGET_BELOW_CURRENT", W, "Target level below current level",
    "A target below where the council already is usually means the two were swapped.",
    "Target level {target} is below the current level {current} for '{theme}'.",
    "Check the two levels; swap them if they were entered the wrong way round.",
)
# -- actions -------------------------------------------------------------------------------------
POINT_UNKNOWN = _kind(
    "POINT_UNKNOWN", E, "Framework point not recognised",
    "Each action is filed under a framework point or theme; an unknown one cannot be placed in the plan.",
    "{value} is not a {what} of {framework}.{suggestion}",
    "Pick the {point} from the dropdown, or type its number, such as {example}.",
)
POINT_TITLE_MISMATCH = _kind(
    "POINT_TITLE_MISMATCH", W, "Framework point's number and title disagree",
    "An action is filed under the number of its framework point. When the words after the number are another theme's title, the number may be wrong, or the plan was moved to a framework that numbers its themes differently by retyping the framework's name.",
    "{value}: {ref} is '{title}' in {framework}, and '{other_title}' is {other}; the action is filed under {ref}.",
    "Check which was meant, then correct the number, or pick the point from the dropdown.",
)
THEME_TITLE_MISMATCH = _kind(
    "THEME_TITLE_MISMATCH", W, "Theme ref and theme name disagree",
    "A self-assessment row is read by its Theme ref. When its Theme column names another theme, the ref may be wrong, or the plan was moved to a framework that numbers its themes differently by retyping the framework's name.",
    "Theme ref {ref} is '{title}' in {framework}, and this row's Theme, '{typed}', is {other}; its levels and evidence are read as {ref}'s.",
    "Check which was meant, then correct the Theme ref, or move the levels and evidence to the row of {other}.",
)
RAG_INVALID = _kind(
    "RAG_INVALID", E, "RAG rating not recognised",
    "The rating is written in the plan and counted in the summaries, so it must be one the plan knows.",
    "{value} is not a RAG rating.",
    "Use Red, Amber, Green or Complete (or R, A, G, C), or leave it empty for 'Not rated'.",
)
RAG_MISSING = _kind(
    "RAG_MISSING", W, "No RAG rating",
    "Unrated actions are shown as 'Not rated' and counted separately.",
    "No RAG rating; shown as 'Not rated'.",
    "Choose Red, Amber, Green or Complete.",
)
ROW_NO_TEXT = _kind(
    "ROW_NO_TEXT", E, "Row has no evidence or action",
    "A row with a deadline, owner or rating but no text would appear in the plan as an empty line.",
    "Row {row} has content but neither 'Current position / evidence' nor 'Gap / action'.",
    "Describe the evidence or the action, or delete the row.",
)
ACTION_MISSING = _kind(
    "ACTION_MISSING", W, "Evidence with no action",
    "The row records evidence but plans nothing further. That can be right, but is worth a check.",
    "Evidence is recorded but there is no gap or action (nothing further planned?).",
    "Add the next step in 'Gap / action', or leave it empty if none is needed.",
)
DEADLINE_MISSING = _kind(
    "DEADLINE_MISSING", W, "No deadline",
    "Actions without a deadline cannot be tracked as overdue or due soon.",
    "No deadline.",
    "Add a date, or Ongoing or TBC.",
)
DEADLINE_UNCLEAR = _kind(
    "DEADLINE_UNCLEAR", W, "Deadline not understood",
    "The deadline is kept exactly as written, but left out of the overdue and due-soon lists.",
    "Deadline {value} {detail}; it is shown as written and not counted as overdue or due soon.",
    "Use a date (30/11/2026), a month (Nov 2026), a quarter (Q3 2026), a year, or Ongoing, TBC or Complete.",
)
DEADLINE_IMPLAUSIBLE = _kind(
    "DEADLINE_IMPLAUSIBLE", W, "Deadline far in the past or future",
    "A deadline before 2000 or more than 20 years after the report date is usually a typing slip (2204 for 2024), so it counts as neither overdue nor due soon until it is corrected.",
    "Deadline {deadline} looks mistyped; it is not counted as overdue or due soon.",
    "Check the year and correct it.",
)
DEADLINE_RECURRING = _kind(
    "DEADLINE_RECURRING", W, "Recurring deadline",
    "A word such as Quarterly, Annual or Bi-annual is printed as written, but has no date, so the action never counts as overdue or due soon.",
    "Deadline {value} repeats and has no date, so this action never counts as overdue or due soon.",
    "If it is first due by a date, add it, for example 'Q3 2026 & Quarterly'; otherwise nothing to do.",
)
OVERDUE = _kind(
    "OVERDUE", W, "Overdue action",
    "The deadline is before the report date and the action is not Complete.",
    "Deadline {deadline} has passed (report date {report_date}).",
    "Update the RAG to Complete if it is done, or agree a new deadline and add a progress update.",
)
GREEN_OVERDUE = _kind(
    "GREEN_OVERDUE", W, "Green but overdue",
    "An action rated Green (on track) whose deadline has passed is probably mis-rated.",
    "Rated Green but its deadline {deadline} has passed.",
    "Change the rating (Complete if done, Amber or Red if late) or update the deadline.",
)
RED_NO_UPDATE = _kind(
    "RED_NO_UPDATE", W, "Red with no progress update",
    "Committees ask what is being done about Red actions.",
    "Rated Red but the progress update is empty.",
    "Add a progress update saying what is being done to recover the action.",
)
OWNER_MISSING = _kind(
    "OWNER_MISSING", W, "No owner",
    "Every action needs someone responsible for it.",
    "No owner.",
    "Choose an owner from the dropdown (add them to the Owners sheet first).",
)
OWNER_UNLISTED = _kind(
    "OWNER_UNLISTED", W, "Owner not on the Owners sheet",
    "Owners are listed once on the Owners sheet so that names are spelled the same way everywhere and the 'by owner' tables add up.",
    "Owner {value} is not on the Owners sheet.{suggestion}",
    "Add the owner to the Owners sheet, or pick an existing owner from the dropdown.",
)
REF_DUPLICATE = _kind(
    "REF_DUPLICATE", W, "Reference used twice",
    "Action references should be unique so that people can refer to one action.",
    "Reference {value} is also used in row {other_row}.",
    "Give each action its own reference.",
)
ACTION_DUPLICATE = _kind(
    "ACTION_DUPLICATE", W, "Action repeated",
    "The same action text appears in two rows, often after copying and pasting.",
    "The same action text is also in row {other_row}.",
    "Delete one of the rows, or reword them if they are different actions.",
)
ROW_REPEATED = _kind(
    "ROW_REPEATED", W, "Module or theme given twice",
    "A module has two rows on the Sections sheet, or a theme two on Self-assessment. The plan uses one row for each, so the later row is left out of it.",
    "{value} already has row {other_row}, so this row is left out of the plan.",
    "Copy anything you need from this row into the row the plan uses, then delete this row.",
)
THEME_NO_ACTIONS = _kind(
    "THEME_NO_ACTIONS", W, "Theme with no actions",
    "Every theme of the framework is expected to have at least some evidence or action.",
    "No actions or evidence for '{theme}'.",
    "Add at least one row for this theme on the Actions sheet, or note why it is not a priority.",
)
REF_MISSING = _kind(
    "REF_MISSING", W, "Actions with no reference",
    "Councillors refer to actions by their reference, so each action needs one. eqplan makes one "
    "from the framework point and the action's text (such as 1.2-7KQ3); it stays the same when "
    "other rows are added or removed, but changes if the action's text is edited.",
    "{count} with no Ref ({cells}); references were made for them, such as {example}.",
    "Type your own reference in the Ref column (for example L-12) where it must never change.",
)
STRAND_COLOUR_INVALID = _kind(
    "STRAND_COLOUR_INVALID", W, "Strand colour not understood",
    "Rows tagged with a strand are shaded in the strand's colour, given on the hidden Lists sheet.",
    "Colour {value} for strand '{strand}' is not understood; {default} is used instead.",
    "Unhide the Lists sheet (right-click a sheet tab > Unhide) and type a colour code such as "
    "#BDD7EE, or one of: {names}.",
)
STRAND_COLOUR_CONTRAST = _kind(
    "STRAND_COLOUR_CONTRAST", W, "Strand colour too dark to read",
    "Black text needs a light background: at least 4.5:1 contrast (WCAG AA). A darker colour "
    "is lightened until the text can be read.",
    "Colour {value} for strand '{strand}' gives black text a contrast of only {ratio}:1; "
    "it was lightened to #{fill}.",
    "Unhide the Lists sheet (right-click a sheet tab > Unhide) and choose a lighter colour, "
    "such as one of: {names}.",
)
COMPLETE_MISMATCH = _kind(
    "COMPLETE_MISMATCH", W, "Complete deadline but open rating",
    "The deadline cell or the Status says Complete but the RAG rating is Red or Amber. The plan counts the action as Complete everywhere, so the rating printed and the rating typed differ.",
    "The {what} says Complete but the rating is {rag}; the action is counted as Complete.",
    "If the action is done, update the RAG rating to Complete; if not, replace 'Complete' in the deadline or Status with the date it is due or where it stands.",
)
WITHDRAWN_COMPLETE = _kind(
    "WITHDRAWN_COMPLETE", W, "Withdrawn action marked Complete",
    "The Status says Withdrawn but the RAG rating or the deadline cell says Complete. A complete action counts as Complete everywhere, so the plan does not show it as withdrawn.",
    "The Status says Withdrawn but the {what} says Complete; the action is counted as Complete, not withdrawn.",
    "If the action was withdrawn, take 'Complete' out of the RAG rating or the deadline; if it was done, change the Status to Complete.",
)
ACTION_STATUS_UNKNOWN = _kind(
    "ACTION_STATUS_UNKNOWN", E, "Action status not recognised",
    "An action's status decides whether it counts as complete, withdrawn or still to do, so it must be one the plan knows.",
    "{value} is not an action status.",
    "Choose Not started, In progress, Ongoing, Deferred, Complete or Withdrawn from the dropdown, or leave it empty.",
)
COMPLETE_NO_DATE = _kind(
    "COMPLETE_NO_DATE", W, "Complete with no completion date",
    "Committees ask when an action was finished; the Completed on date records it.",
    "Status is Complete but 'Completed on' is empty.",
    "Type the date the action was finished in 'Completed on'.",
)
COMPLETED_BUT_OPEN = _kind(
    "COMPLETED_BUT_OPEN", W, "Completion date on an open action",
    "An action reopened after it was finished keeps its old 'Completed on' date until someone clears it; when it is finished again, the old date could be taken for the new one.",
    "'Completed on' holds {date}, but the action is still open.",
    "If the action was reopened, clear 'Completed on'; if it is finished, set Status to Complete.",
)
CONFLICT_UNSETTLED = _kind(
    "CONFLICT_UNSETTLED", W, "Merge conflict not settled",
    "When owners' returns disagree, eqplan merge keeps the plan as it was and puts each update it could not apply on the Progress log, marked Not applied, for the officer to settle. Such a row is never printed as progress, and it goes on into the next period's workbook until it is deleted.",
    "An update eqplan merge could not apply for {item} is still waiting to be settled.",
    "Put the right update, rating and status in {item}'s row on the Actions sheet, then delete this Progress log row.",
)
LOG_REF_UNKNOWN = _kind(
    "LOG_REF_UNKNOWN", W, "Progress log entry for no action",
    "Each row of the Progress log belongs to the action with the same Ref on the Actions sheet; a row whose Ref matches none is kept but never printed.",
    "Ref {value} matches no action on the Actions sheet.",
    "Correct the Ref to the action's (as on the Actions sheet), or delete the row if the action was removed.",
)
LOG_VALUE_UNKNOWN = _kind(
    "LOG_VALUE_UNKNOWN", W, "Progress log value not recognised",
    "The Progress log keeps earlier updates as they were given; a rating or status it does not know is printed as written.",
    "{value} is not a {what}; it is printed as written.",
    "Use a rating (Red, Amber, Green, Complete) or a status (Not started, In progress, Ongoing, Deferred, Complete, Withdrawn).",
)
# -- returns collected by eqplan merge (issue 13): a refused return is left out, the rest merge --
RETURN_NOT_SPLIT = _kind(
    "RETURN_NOT_SPLIT", E, "Return not made by eqplan split",
    "eqplan merge tells what an owner changed by comparing their workbook with the record eqplan split hides in it. A workbook without that record (the plan itself, a copy made by hand) cannot be compared, so it is not merged.",
    "{path} was not made by eqplan split{detail}, so it was not merged.",
    "Copy its updates into the plan by hand, or send the owner a workbook made by eqplan split.",
)
RETURN_OTHER_PLAN = _kind(
    "RETURN_OTHER_PLAN", E, "Return from another plan",
    "The return was split from a plan with another council, title or framework, so its Refs may mean other actions.",
    "{path} comes from another plan ({theirs}), not {ours}, so it was not merged.",
    "Check that the plan comes first in the command, or ask the owner for the right workbook.",
)
RETURN_OTHER_VERSION = _kind(
    "RETURN_OTHER_VERSION", E, "Return from another report",
    "The return was sent out for another report date, such as last quarter's, so its updates are out of date.",
    "{path} was sent on {split_on} for the report dated {theirs}; the plan's report date is {ours}, so it was not merged.",
    "Send the owner this report's workbook (eqplan split), or copy any new update in by hand.",
)
WELSH_TEXT_MISSING = _kind(
    "WELSH_TEXT_MISSING", W, "Welsh text missing",
    "A document built in Welsh (--language cy or both) prints the council's own Welsh from the (Cymraeg) columns and Plan rows. Where English text has no Welsh beside it, the Welsh document prints the English, so Welsh would be treated less favourably than English.",
    "{count} with English but no Welsh on {sheet}: {cells}.",
    "Type the Welsh in the (Cymraeg) column beside each English text (on the Plan sheet, in the row named with (Cymraeg)); 'eqplan template --language cy' makes a workbook with those columns.",
)
WELSH_WITHOUT_ENGLISH = _kind(
    "WELSH_WITHOUT_ENGLISH", W, "Welsh with no English beside it",
    "Each (Cymraeg) cell is the Welsh of the English cell beside it: a document built in Welsh prints it in that cell's place. Welsh typed where the English cell is empty has no place in the plan, so no document, English or Welsh, prints it.",
    "{column} has Welsh but its English, {english}, is empty, so no document prints this Welsh.",
    "Type the English in {english}; or, if the Welsh belongs to another row, move it there.",
)
FRAMEWORK_WELSH_MISSING = _kind(
    "FRAMEWORK_WELSH_MISSING", W, "Framework text not in Welsh",
    "A document built in Welsh prints the framework's titles, and the note of where its text comes from, in Welsh when the framework file gives them (title_cy, source_cy). Those without Welsh are printed in English.",
    "The {framework} framework has no Welsh for {count}, printed in English: {items}.",
    "Add title_cy (and descriptor_cy, source_cy) to the framework file, or ask for a framework with Welsh titles.",
)
# -- two reports compared (eqplan compare, build --since, summary --since) ------------------------
PREVIOUS_NOT_EARLIER = _kind(
    "PREVIOUS_NOT_EARLIER", W, "Previous report not earlier than this one",
    "eqplan compare, and build or summary with --since, show progress since the last report: they take the workbook of the last report sent to committee as the previous one (first in eqplan compare, after --since). A previous workbook dated after the current one was almost certainly given the wrong way round, so every change would be shown backwards. With --since, one as at the same date (the plan itself, or this report's copy from before a merge) would make 'Progress since the last report' compare this report with itself. The documents are still made (with --strict they are not). eqplan compare of two workbooks as at the same date, such as before and after a merge, is expected and not reported.",
    "The previous report's workbook, {previous}, is as at {previous_date}, and the current report's, {current}, as at {current_date}: {detail}.",
    "Give the workbook of the last report sent to committee as the previous report's workbook (in eqplan compare it comes first; in eqplan build and summary, after --since). If the two were given the wrong way round, swap them.",
)
# -- the Word template (--template) -------------------------------------------------------------
TEMPLATE_UNSAFE = _kind(
    "TEMPLATE_UNSAFE", E, "Unsafe tag in the Word template",
    "A tag in the Word template tries to reach inside the program (a name starting with an underscore, or something other than the plan's data), or asks for far more work than any plan needs. Templates may only print and repeat the plan's data, so the build stops at that tag and no plan is written.",
    "The Word template {path} has a tag that is not allowed{tag} ({detail}). The build stopped at that tag and no plan was written.",
    "Remove or retype the tag using the names in 'The Word template context' (README.md). If you did not write it, ask IT to check where the template came from.",
)
TEMPLATE_EXTERNAL_LINK = _kind(
    "TEMPLATE_EXTERNAL_LINK", W, "Outside link left out of the plan",
    "The Word template links to a file or address outside the document (an attached template, a linked picture or object, a file or network link, a mail-merge data source, an embedded HTML, RTF or Word chunk, or a field such as DDEAUTO, INCLUDEPICTURE or DATABASE that starts a program or fetches a file), in any part of it: the text, headers, footers, footnotes, endnotes or comments. Word would fetch or run it when the plan is opened, so eqplan leaves it out of every plan. Plain web links (http or https) in the text are kept.",
    "The Word template {path} links to {target} ({what}); the link was left out of the plan.",
    "Nothing to do if the plan looks right. To stop this warning, remove the link from the template in Word, or insert pictures instead of linking them.",
)
# fmt: on


def codes(severity: Severity | None = None) -> list[str]:
    """The codes in catalogue order, optionally only those of one severity."""
    return [k.code for k in CATALOGUE.values() if severity is None or k.severity is severity]
