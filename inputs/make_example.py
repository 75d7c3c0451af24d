"""Build inputs/example-plan.xlsx: a filled plan for the fictional Example Borough Council.

The example is the default input of `make plan` and the fixture of the
end-to-end tests, so it exercises what real plans contain: every EFLG 2021
theme, all four RAG ratings and unrated rows, overdue actions and actions due
within 90 days of the report date, two strands, multi-line cells, an
ampersand, and free-text deadlines (Ongoing, TBC, Nov 2026, Annual). All text
is written for this example. Run it with `make example`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import frameworks  # noqa: E402
from pipeline.io import write_atomic  # noqa: E402
from pipeline.workbook import build_template, layout  # noqa: E402

D = dt.date
TARGET = ROOT / "inputs" / "example-plan.xlsx"

PLAN = {
    "council": "Example Borough Council",
    "title": "Equality, Diversity and Inclusion Action Plan 2026 to 2029",
    "period_start": D(2026, 4, 1),
    "period_end": D(2029, 3, 31),
    "target_year": "2029",
    "version": "1.2",
    "status": "Draft",
    "report_date": D(2026, 11, 30),
    "committee": "Corporate Overview and Scrutiny Committee",
    "meeting_date": D(2027, 1, 14),
    "author": "Corporate Policy and Equalities Team",
    "introduction": (
        "This plan sets out how Example Borough Council will improve equality of opportunity "
        "for the people who live and work in the borough, and for our own staff. It is "
        "organised around the four modules of the Equality Framework for Local Government.\n"
        "We assessed ourselves against each theme of the framework in spring 2026, with "
        "help from our staff networks and the Borough Equality & Diversity Forum. The "
        "actions below close the gaps that assessment found.\n"
        "Progress is reported to the Corporate Overview and Scrutiny Committee twice a year. "
        "Each action has a named owner, a deadline and a RAG rating."
    ),
    "objectives": (
        "Understand our communities better by publishing up-to-date equality data for every ward\n"
        "Make it easier for under-represented residents to take part in decisions that affect them\n"
        "Build equality into how we plan, buy and deliver services\n"
        "Close our gender pay gap and make our workforce reflect the borough by 2029"
    ),
}

OWNERS = [
    (
        "Corporate Policy and Equalities Team",
        "Chief Executive's Office",
        "equalities@example.gov.uk",
    ),
    ("Business Intelligence Team", "Finance and Resources", "insight@example.gov.uk"),
    ("Communications and Engagement Team", "Chief Executive's Office", "engage@example.gov.uk"),
    ("Human Resources and OD", "People Services", "hr@example.gov.uk"),
    ("Procurement and Commissioning", "Finance and Resources", "procurement@example.gov.uk"),
    ("Democratic Services", "Governance", "democracy@example.gov.uk"),
    ("Customer Services Manager", "Customer and Digital", "customer@example.gov.uk"),
    ("Head of Housing Needs", "Housing", "housing@example.gov.uk"),
    ("Community Safety Partnership", "Communities", "safer@example.gov.uk"),
    ("Learning and Development Team", "People Services", "learning@example.gov.uk"),
]

SECTIONS = {
    "1": (
        "Director of Communities",
        "We hold good, current data on every community in the borough and share it with partners\n"
        "Residents from every background can shape the decisions that affect them\n"
        "Relations between communities are strong, and tensions are spotted early",
    ),
    "2": (
        "Chief Executive",
        "Councillors and senior officers lead visibly on equality\n"
        "Equality impact assessment is part of every significant decision\n"
        "Scrutiny checks our progress against clear equality objectives",
    ),
    "3": (
        "Director of Customer and Digital",
        "Services are designed with the people who use them\n"
        "Contracts we let deliver on our equality commitments\n"
        "Every service plan includes an equality outcome",
    ),
    "4": (
        "Director of People Services",
        "Our workforce reflects the borough at every grade\n"
        "Staff feel able to be themselves at work and to progress\n"
        "We publish clear workforce data and act on what it tells us",
    ),
}

ASSESSMENT = {
    # theme: (current, target, target date, evidence summary)
    "1": (
        "Developing",
        "Achieving",
        D(2027, 9, 30),
        "Census 2021 profiles published; partner data sharing is ad hoc.",
    ),
    "2": (
        "Developing",
        "Achieving",
        D(2028, 3, 31),
        "Data used in some service reviews but rarely broken down by characteristic.",
    ),
    "3": (
        "Achieving",
        "Achieving",
        D(2027, 3, 31),
        "Consultation toolkit in use; youth panel meets quarterly.",
    ),
    "4": (
        "Developing",
        "Achieving",
        D(2028, 3, 31),
        "Tension monitoring with police in place; hate crime reporting centres patchy.",
    ),
    "5": (
        "Developing",
        "Developing",
        D(2027, 3, 31),
        "Councillor diversity survey completed for the first time in 2025.",
    ),
    "6": (
        "Achieving",
        "Excellent",
        D(2029, 3, 31),
        "Cabinet lead for equality; leadership team sponsors each staff network.",
    ),
    "7": (
        "Developing",
        "Achieving",
        D(2027, 12, 31),
        "Joint equality objectives agreed with health partners in draft.",
    ),
    "8": (
        "Developing",
        "Achieving",
        D(2027, 6, 30),
        "New impact assessment template; quality varies between directorates.",
    ),
    "9": (
        "Developing",
        "Achieving",
        D(2027, 12, 31),
        "Annual equality report goes to scrutiny; no quarterly indicators yet.",
    ),
    "10": (
        "Not started",
        "Developing",
        D(2027, 6, 30),
        "Equality questions in tenders are generic and not scored.",
    ),
    "11": (
        "Developing",
        "Achieving",
        D(2028, 3, 31),
        "Two of nine service plans include an equality outcome.",
    ),
    "12": (
        "Developing",
        "Achieving",
        D(2028, 3, 31),
        "Accessible website audit passed; face-to-face access varies.",
    ),
    "13": (
        "Developing",
        "Achieving",
        D(2029, 3, 31),
        "Ethnic minority staff are 9% of the workforce against 17% of residents.",
    ),
    "14": (
        "Achieving",
        "Achieving",
        D(2027, 3, 31),
        "Policies reviewed on a three-year cycle with network input.",
    ),
    "15": (
        "Developing",
        "Achieving",
        D(2027, 9, 30),
        "Gender pay gap published; ethnicity pay gap not yet calculated.",
    ),
    "16": (
        "Developing",
        "Achieving",
        D(2028, 3, 31),
        "Mandatory equality e-learning; completion at 71%.",
    ),
    "17": (
        "Achieving",
        "Excellent",
        D(2028, 9, 30),
        "Wellbeing strategy adopted; menopause and neurodiversity guidance in place.",
    ),
}

EQ = "Corporate Policy and Equalities Team"
BI = "Business Intelligence Team"
CE = "Communications and Engagement Team"
HR = "Human Resources and OD"
PC = "Procurement and Commissioning"
DS = "Democratic Services"
CS = "Customer Services Manager"
HN = "Head of Housing Needs"
SP = "Community Safety Partnership"
LD = "Learning and Development Team"
RACE = "Race equality"
GPG = "Gender pay gap"

# ref, point, evidence, gap/action, outcome, deadline, owner, RAG, strand, progress
ACTIONS = [
    (
        "EB01",
        "1.1",
        "Ward profiles based on the 2021 Census are on the council website.",
        "Add deprivation, disability and language data to each ward profile.",
        "Officers and partners use one trusted set of ward data.",
        D(2027, 3, 31),
        BI,
        "Green",
        "",
        "Language and disability data added for 12 of 20 wards.",
    ),
    (
        "EB02",
        "1.2",
        "Data-sharing agreement signed with the two local NHS trusts.",
        "Extend the agreement to the police and the voluntary sector network.",
        "Partners stop collecting the same data twice.",
        D(2026, 10, 31),
        EQ,
        "Amber",
        "",
        "Police legal team reviewing the draft; voluntary sector signed.",
    ),
    (
        "EB03",
        "1.2",
        "Equality monitoring questions differ between services.",
        "Agree a single set of monitoring categories for all council forms.",
        "Data can be compared across services.",
        D(2027, 1, 31),
        BI,
        "Amber",
        RACE,
        "Draft categories shared with staff networks for comment.",
    ),
    (
        "EB04",
        "1.3",
        "",
        "Publish an open equality data dashboard for residents and partners.",
        "Anyone can see how outcomes differ between groups.",
        "Q3 2027",
        BI,
        "",
        "",
        "",
    ),
    (
        "EB05",
        "2.1",
        "Customer complaints are recorded without equality data.",
        "Add optional equality questions to the complaints form\nand report the results quarterly.",
        "We can see whether some groups are less satisfied.",
        D(2026, 12, 15),
        CS,
        "Green",
        "",
        "Form updated; first report due January.",
    ),
    (
        "EB06",
        "2.2",
        "Budget proposals use borough-wide averages.",
        "Break down the impact of budget proposals by protected characteristic.",
        "Members see who is affected before they decide.",
        "Annual",
        EQ,
        "Amber",
        "",
        "Piloted on three proposals in the 2026/27 budget.",
    ),
    (
        "EB07",
        "2.2",
        "Housing allocations data is held but not analysed by ethnicity.",
        "Analyse lettings outcomes by ethnicity and publish the findings.",
        "Any unfair differences in lettings are found and tackled.",
        D(2026, 9, 30),
        HN,
        "Red",
        RACE,
        "",
    ),
    (
        "EB08",
        "2.3",
        "",
        "Use predictive data to target the cost-of-living support offer.",
        "Help reaches the households most at risk.",
        "TBC",
        BI,
        "",
        "",
        "",
    ),
    (
        "EB09",
        "3.1",
        "Consultation toolkit published on the intranet in 2025.",
        "Train service managers to use the toolkit, starting with housing and planning.",
        "Consultations reach people we rarely hear from.",
        D(2027, 2, 28),
        CE,
        "Green",
        "",
        "Two sessions held, 34 managers trained.",
    ),
    (
        "EB10",
        "3.2",
        "Youth panel meets quarterly and reports to cabinet.",
        "Set up an older people's panel on the same model.",
        "Older residents have a direct route to decision makers.",
        D(2027, 6, 30),
        CE,
        "Amber",
        "",
        "Recruitment leaflet with partners for comment.",
    ),
    (
        "EB11",
        "3.2",
        "Consultation results are not always reported back.",
        "Publish a 'you said, we did' summary after every major consultation.",
        "Residents see how their views changed decisions.",
        "Ongoing",
        CE,
        "Green",
        "",
        "",
    ),
    (
        "EB12",
        "3.3",
        "",
        "Co-design the new community centre programme with local disabled people's organisations.",
        "Centres meet the access needs of disabled residents.",
        D(2028, 3, 31),
        CE,
        "",
        "",
        "",
    ),
    (
        "EB13",
        "4.1",
        "Monthly tension monitoring meeting with police and schools.",
        "Add faith groups and housing providers to the meeting.",
        "Tensions are spotted earlier.",
        D(2026, 8, 31),
        SP,
        "Complete",
        RACE,
        "Faith forum and two housing associations now attend.",
    ),
    (
        "EB14",
        "4.2",
        "Four hate crime reporting centres, all in the town centre.",
        "Open reporting centres in the three outer wards.",
        "Victims can report close to home.",
        D(2027, 3, 31),
        SP,
        "Amber",
        RACE,
        "Two venues agreed; third under discussion.",
    ),
    (
        "EB15",
        "4.2",
        "Hate crime figures are shared with members once a year.",
        "Report hate crime trends to the Community Safety Partnership board each quarter.",
        "Rises in hate crime are acted on quickly.",
        "Quarterly",
        SP,
        "Green",
        "",
        "",
    ),
    (
        "EB16",
        "4.3",
        "",
        "Run a borough-wide celebration of the borough's communities with the voluntary sector.",
        "People from different backgrounds meet and mix.",
        "Sept 2027",
        CE,
        "",
        "",
        "",
    ),
    (
        "EB17",
        "5.1",
        "Councillor diversity survey completed in 2025 (68% response).",
        "Repeat the survey after the 2027 elections and publish the results.",
        "We know how well the council reflects the borough.",
        D(2027, 9, 30),
        DS,
        "Green",
        "",
        "",
    ),
    (
        "EB18",
        "5.2",
        "'Be a councillor' sessions held before the last elections.",
        "Target the sessions at groups under-represented on the council, with community partners.",
        "More candidates from under-represented groups stand.",
        D(2027, 1, 31),
        DS,
        "Amber",
        "",
        "Dates booked; partner outreach started.",
    ),
    (
        "EB19",
        "5.2",
        "School governor vacancies advertised only on the council website.",
        "Advertise governor vacancies through community and faith networks.",
        "Governing bodies become more diverse.",
        "Ongoing",
        DS,
        "Green",
        "",
        "",
    ),
    (
        "EB20",
        "5.3",
        "",
        "Set up a paid shadowing scheme for residents from under-represented groups to learn about public roles.",
        "A wider pool of people is ready to take on public roles.",
        D(2028, 9, 30),
        DS,
        "",
        "",
        "",
    ),
    (
        "EB21",
        "6.1",
        "Cabinet member for equality appointed in May 2025.",
        "Publish a leader's statement of commitment to equality, signed by all group leaders.",
        "A clear, shared political commitment to equality.",
        D(2026, 7, 31),
        EQ,
        "Complete",
        "",
        "Published in July and reported to full council.",
    ),
    (
        "EB22",
        "6.2",
        "Each staff network has a director sponsor.",
        "Hold twice-yearly listening sessions between networks and the leadership team.",
        "Leaders hear staff experience directly.",
        "Bi-annual",
        EQ,
        "Green",
        RACE,
        "First session held in October.",
    ),
    (
        "EB23",
        "6.2",
        "Members completed equality training at induction in 2023.",
        "Refresh member training, including inclusive leadership, before the 2027 elections.",
        "All members understand the public sector equality duty.",
        D(2027, 4, 30),
        DS,
        "Amber",
        "",
        "Trainer procured; dates to be set.",
    ),
    (
        "EB24",
        "6.3",
        "",
        "Seek an LGA equality peer challenge.",
        "An external view of our progress against the framework.",
        D(2028, 6, 30),
        EQ,
        "",
        "",
        "",
    ),
    (
        "EB25",
        "7.1",
        "Joint equality objectives with health partners are in draft.",
        "Agree the joint objectives at the Health and Wellbeing Board.",
        "Partners work to the same equality priorities.",
        D(2027, 3, 31),
        EQ,
        "Amber",
        "",
        "On the March board agenda.",
    ),
    (
        "EB26",
        "7.2",
        "The voluntary sector compact does not mention equality.",
        "Add shared equality commitments to the compact when it is renewed.",
        "Funded groups and the council share equality aims.",
        "Nov 2026",
        EQ,
        "Red",
        "",
        "Renewal delayed by the sector's own governance review; new date being agreed.",
    ),
    (
        "EB27",
        "7.2",
        "",
        "Map equality work across partners to find gaps and overlaps.",
        "Partners avoid duplicating effort.",
        "TBC",
        EQ,
        "",
        "",
        "",
    ),
    (
        "EB28",
        "8.1",
        "New impact assessment template launched in 2025.",
        "Quality-check a sample of ten assessments each quarter and feed back to authors.",
        "Assessments are consistent and useful to decision makers.",
        "Quarterly",
        EQ,
        "Green",
        "",
        "First sample reviewed: four needed more evidence.",
    ),
    (
        "EB29",
        "8.2",
        "Cabinet reports include an equality section.",
        "Require a completed impact assessment before any report reaches the forward plan.",
        "No significant decision is made without one.",
        D(2026, 10, 1),
        DS,
        "Red",
        "",
        "Report template change delayed; interim check by Democratic Services.",
    ),
    (
        "EB30",
        "8.2",
        "Budget impact assessments are written separately for each proposal.",
        "Produce a cumulative impact assessment for the whole budget.",
        "Members see the combined effect on each group.",
        D(2027, 2, 12),
        EQ,
        "Amber",
        "",
        "",
    ),
    (
        "EB31",
        "8.3",
        "",
        "Publish all impact assessments in one searchable place on the website.",
        "Residents can see how decisions were assessed.",
        D(2027, 9, 30),
        CE,
        "",
        "",
        "",
    ),
    (
        "EB32",
        "9.1",
        "Annual equality report goes to scrutiny each autumn.",
        "Add six equality indicators to the quarterly performance report.",
        "Members can track progress through the year.",
        D(2026, 12, 31),
        BI,
        "Amber",
        "",
        "Indicators agreed; two need new data sources.",
    ),
    (
        "EB33",
        "9.2",
        "",
        "Invite residents from the Equality & Diversity Forum to an annual scrutiny session on this plan.",
        "Residents help hold the council to account.",
        "Annual",
        DS,
        "",
        "",
        "",
    ),
    (
        "EB34",
        "9.3",
        "",
        "Benchmark our equality indicators with three similar councils.",
        "We learn from councils that do better.",
        2028,
        BI,
        "",
        "",
        "",
    ),
    (
        "EB35",
        "10.1",
        "Equality questions in tenders are generic and not scored.",
        "Write tailored, scored equality questions for contracts over £100,000.",
        "Suppliers are chosen partly on their equality record.",
        D(2026, 11, 30),
        PC,
        "Amber",
        "",
        "Questions drafted; legal review under way.",
    ),
    (
        "EB36",
        "10.1",
        "Commissioners have had no equality training.",
        "Train all commissioners on the equality duty in procurement.",
        "Commissioners know how to build equality into contracts.",
        D(2027, 1, 29),
        LD,
        "Green",
        "",
        "",
    ),
    (
        "EB37",
        "10.2",
        "",
        "Add equality measures to the monitoring of our ten largest contracts.",
        "We know whether contracts serve all groups fairly.",
        D(2027, 9, 30),
        PC,
        "",
        "",
        "",
    ),
    (
        "EB38",
        "10.3",
        "",
        "Report contract equality performance to scrutiny each year.",
        "Suppliers are held to account in public.",
        "Annual",
        PC,
        "",
        "",
        "",
    ),
    (
        "EB39",
        "11.1",
        "Two of nine service plans include an equality outcome.",
        "Make an equality outcome a required section of every service plan.",
        "Every service plans for equality.",
        D(2027, 4, 1),
        EQ,
        "Green",
        "",
        "Service planning guidance updated.",
    ),
    (
        "EB40",
        "11.2",
        "",
        "Check each service plan's equality outcome at the mid-year review.",
        "Outcomes are followed through, not just written down.",
        "Oct 2027",
        EQ,
        "",
        "",
        "",
    ),
    (
        "EB41",
        "11.2",
        "The housing service set an outcome on overcrowding for large families.",
        "Report on progress to the housing portfolio holder.",
        "Fewer large families in overcrowded homes.",
        D(2026, 10, 31),
        HN,
        "Complete",
        RACE,
        "Reported in October: 14 families rehoused.",
    ),
    (
        "EB42",
        "12.1",
        "The website meets accessibility standards (audit passed in 2025).",
        "Audit the accessibility of the council's main customer buildings.",
        "Disabled customers can use our buildings without barriers.",
        D(2026, 9, 30),
        CS,
        "Red",
        "",
        "Audit brief written; surveyor not yet appointed.",
    ),
    (
        "EB43",
        "12.2",
        "Interpreting is available but rarely offered.",
        "Tell customers about free interpreting at every contact point\n- reception desks\n- phone menu\n- website.",
        "Residents with little English can use our services.",
        D(2027, 1, 15),
        CS,
        "Amber",
        RACE,
        "Signs and phone message done; website update pending.",
    ),
    (
        "EB44",
        "12.2",
        "",
        "Offer easy-read versions of the ten most-used council leaflets.",
        "People with learning disabilities understand our information.",
        D(2027, 6, 30),
        CE,
        "",
        "",
        "",
    ),
    (
        "EB45",
        "12.3",
        "",
        "Involve service users in redesigning the housing register process.",
        "A register that works for everyone who needs it.",
        D(2028, 3, 31),
        HN,
        "",
        "",
        "",
    ),
    (
        "EB46",
        "13.1",
        "Ethnic minority staff are 9% of the workforce, against 17% of residents.",
        "Use diverse shortlisting panels for all posts at grade 10 and above.",
        "Fairer selection for senior posts.",
        D(2026, 6, 30),
        HR,
        "Complete",
        RACE,
        "In place since June.",
    ),
    (
        "EB47",
        "13.2",
        "Adverts appear mainly on the council website and job boards.",
        "Advertise posts through community organisations and at local jobs fairs.",
        "More applicants from ethnic minority backgrounds.",
        "Ongoing",
        HR,
        "Green",
        RACE,
        "",
    ),
    (
        "EB48",
        "13.2",
        "Women are 64% of staff but 41% of the top 5% of earners.",
        "Pilot a senior women's mentoring programme with two neighbouring councils.",
        "More women progress into senior roles.",
        D(2026, 9, 30),
        HR,
        "Amber",
        GPG,
        "Pilot launched in November after a delay in matching mentors.",
    ),
    (
        "EB49",
        "13.3",
        "",
        "Set targets for workforce diversity at every grade, to be met by 2029.",
        "A workforce that reflects the borough at every level.",
        D(2027, 3, 31),
        HR,
        "",
        "",
        "",
    ),
    (
        "EB50",
        "14.1",
        "HR policies are reviewed every three years.",
        "Review the flexible working policy with the women's and carers' networks.",
        "Flexible working is open to more roles.",
        D(2026, 12, 31),
        HR,
        "Green",
        GPG,
        "Draft shared with networks.",
    ),
    (
        "EB51",
        "14.2",
        "Menopause guidance published in 2024.",
        "Add guidance on reasonable adjustments for neurodivergent staff.",
        "Neurodivergent staff get the support they need.",
        D(2026, 7, 31),
        HR,
        "Complete",
        "",
        "Published in July with the neurodiversity network.",
    ),
    (
        "EB52",
        "14.3",
        "",
        "Ask staff networks to review every new HR policy before it is agreed.",
        "Policies work for all staff from the start.",
        "Ongoing",
        HR,
        "",
        "",
        "",
    ),
    (
        "EB53",
        "15.1",
        "Gender pay gap published each March (mean gap 7.9%).",
        "Publish an action plan alongside the next gender pay gap report.",
        "A clear plan to close the gap.",
        D(2027, 3, 31),
        HR,
        "Green",
        GPG,
        "",
    ),
    (
        "EB54",
        "15.2",
        "Ethnicity is recorded for 78% of staff.",
        "Run a data completion campaign to raise ethnicity recording above 90%.",
        "Reliable data for an ethnicity pay gap.",
        D(2026, 10, 31),
        HR,
        "Red",
        RACE,
        "",
    ),
    (
        "EB55",
        "15.2",
        "",
        "Calculate and publish our first ethnicity pay gap.",
        "We understand pay differences by ethnicity.",
        "Mar 2027 & Ongoing",
        HR,
        "",
        RACE,
        "",
    ),
    (
        "EB56",
        "15.3",
        "",
        "Publish a yearly workforce equality report with trends over five years.",
        "Progress on workforce diversity is open to all.",
        "2027/28",
        BI,
        "",
        "",
        "",
    ),
    (
        "EB57",
        "16.1",
        "Equality e-learning is mandatory; completion is 71%.",
        "Chase incomplete e-learning through managers each month.",
        "At least 95% of staff complete the training.",
        D(2027, 2, 26),
        LD,
        "Amber",
        "",
        "Completion up from 64% in April.",
    ),
    (
        "EB58",
        "16.2",
        "Few staff from ethnic minority backgrounds apply for management training.",
        "Offer a positive action development programme for ethnic minority staff.",
        "More ethnic minority staff move into management.",
        D(2027, 9, 30),
        LD,
        "Green",
        RACE,
        "Programme designed with the race equality network.",
    ),
    (
        "EB59",
        "16.3",
        "",
        "Track the career progression of every programme participant for three years.",
        "We can show what the programme achieves.",
        D(2029, 3, 31),
        LD,
        "",
        "",
        "",
    ),
    (
        "EB60",
        "17.1",
        "Wellbeing strategy adopted in 2024.",
        "Train 40 more mental health first aiders, drawn from every directorate.",
        "Staff can get support in every team.",
        D(2026, 11, 2),
        HR,
        "Amber",
        "",
        "28 trained so far.",
    ),
    (
        "EB61",
        "17.2",
        "Staff survey results are reported for the whole council only.",
        "Break down the staff survey wellbeing results by protected characteristic.",
        "We see which groups of staff are struggling.",
        D(2027, 1, 31),
        HR,
        "Green",
        "",
        "",
    ),
    (
        "EB62",
        "17.3",
        "",
        "Seek external accreditation for our approach to staff wellbeing.",
        "An independent check that our approach works.",
        "TBC",
        HR,
        "",
        "",
        "",
    ),
]


def build(target: Path = TARGET) -> Path:
    """Write the example workbook (atomically) and return its path."""
    framework = frameworks.load("eflg-2021")
    wb = build_template(framework)

    plan_sheet = wb[layout.PLAN_SHEET]
    labels = {f.label: f.key for f in layout.PLAN_FIELDS}
    for row in range(2, plan_sheet.max_row + 1):
        key = labels.get(plan_sheet.cell(row=row, column=1).value)
        if key in PLAN:
            plan_sheet.cell(row=row, column=2, value=PLAN[key])

    sections = wb[layout.SECTIONS_SHEET]
    for row in range(2, sections.max_row + 1):
        ref = sections.cell(row=row, column=1).value
        if ref in SECTIONS:
            lead, aspirations = SECTIONS[ref]
            sections.cell(row=row, column=3, value=lead)
            sections.cell(row=row, column=4, value=aspirations)

    assessment = wb[layout.ASSESSMENT_SHEET]
    for row in range(2, assessment.max_row + 1):
        ref = assessment.cell(row=row, column=1).value
        if ref in ASSESSMENT:
            for column, value in enumerate(ASSESSMENT[ref], start=3):
                cell = assessment.cell(row=row, column=column, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = "dd/mm/yyyy"

    actions = wb[layout.ACTIONS_SHEET]
    for row in range(2, actions.max_row + 1):  # replace the prefilled theme rows
        actions.cell(row=row, column=2).value = None
    for row, values in enumerate(ACTIONS, start=2):
        ref, point, *rest = values
        theme = framework.resolve(point)
        label = theme.label if theme is not None else point
        for column, value in enumerate((ref, label, *rest), start=1):
            cell = actions.cell(row=row, column=column, value=value if value != "" else None)
            if isinstance(value, dt.date):
                cell.number_format = "dd/mm/yyyy"

    owners = wb[layout.OWNERS_SHEET]
    for row, values in enumerate(OWNERS, start=2):
        for column, value in enumerate(values, start=1):
            owners.cell(row=row, column=column, value=value)

    wb.properties.creator = "Example Borough Council"
    wb.properties.title = PLAN["title"]
    return write_atomic(target, wb.save)


if __name__ == "__main__":
    path = build()
    print(f"Wrote {path.relative_to(ROOT)} ({len(ACTIONS)} actions).")
