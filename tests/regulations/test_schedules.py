"""Each preset's schedule follows its seed document. Every test cites the seed it checks."""

import dataclasses
from datetime import date

from dateutil.relativedelta import relativedelta

from gesprekscyclus.regulations.engine import (
    DueItem,
    EmployeeFacts,
    HeldConversation,
    Period,
    compute_schedule,
    period_for,
)
from gesprekscyclus.regulations.loader import load_preset
from gesprekscyclus.regulations.reasons import render_reason

YEAR_2024 = Period(date(2024, 1, 1), date(2024, 12, 31))
VETERAN = EmployeeFacts(employment_start=date(2015, 3, 1))


def _schedule(preset_id, facts=VETERAN, held=(), as_of=date(2024, 3, 1), period=YEAR_2024):
    return compute_schedule(load_preset(preset_id), facts, period, list(held), as_of)


def _of(items: list[DueItem], kind: str) -> list[DueItem]:
    return [item for item in items if item.kind == kind]


def _kinds(items: list[DueItem]) -> list[str]:
    return [item.kind for item in items]


# -- Zaanstad ----------------------------------------------------------------------------


def test_zaanstad_pair_agrees_how_often():
    """000_9d859c861268658d.txt: "Medewerker en leidinggevende hebben regelmatig gesprekken.
    Zij bespreken samen hoe vaak dat is." Six agreed check-ins cover the year in six
    consecutive windows."""
    check_ins = _of(
        _schedule("zaanstad", dataclasses.replace(VETERAN, agreed_frequency_per_year=6)), "check_in"
    )
    assert len(check_ins) == 6
    assert check_ins[0].due_from == date(2024, 1, 1)
    assert check_ins[-1].due_by == date(2024, 12, 31)
    for earlier, later in zip(check_ins, check_ins[1:], strict=False):
        assert later.due_from == earlier.due_by + relativedelta(days=1)


def test_zaanstad_frequency_default_and_bounds():
    """000_9d859c861268658d.txt: "Zij bespreken samen hoe vaak dat is." Without an agreement
    the preset's default (4) applies; agreements are kept within 1..12 a year."""

    def count(agreed):
        facts = dataclasses.replace(VETERAN, agreed_frequency_per_year=agreed)
        return len(_of(_schedule("zaanstad", facts), "check_in"))

    assert count(None) == 4
    assert count(0) == 1
    assert count(20) == 12


def test_zaanstad_employee_starts_the_conversation_manager_keeps_a_finger_on_the_pulse():
    """000_9d859c861268658d.txt: "De medewerker neemt verantwoordelijkheid voor zijn voortgang
    en resultaten." and "De leidinggevende houdt doorlopend de vinger aan de pols"."""
    early = _of(_schedule("zaanstad", as_of=date(2024, 1, 10)), "check_in")[0]
    assert early.initiative == "employee"
    late = _of(_schedule("zaanstad", as_of=date(2024, 1, 25)), "check_in")[0]
    assert late.initiative == "manager"


def test_zaanstad_joint_evaluation_at_least_once_a_year_then_the_manager_records_the_assessment():
    """000_9d859c861268658d.txt: "Ten minste één keer per jaar vindt er een gezamenlijke
    evaluatie plaats van het functioneren en de ambities van de medewerker. De leidinggevende
    legt op basis van de evaluatie de beoordeling vast"."""
    items = _schedule("zaanstad", as_of=date(2024, 11, 1))
    (evaluation,) = _of(items, "evaluation")
    (assessment,) = _of(items, "assessment")
    assert (evaluation.due_from, evaluation.due_by) == (date(2024, 10, 1), date(2024, 12, 31))
    assert evaluation.status == "due"
    assert assessment.initiative == "manager"
    assert assessment.due_by > evaluation.due_by
    regulation = load_preset("zaanstad")
    assert regulation.assessment.after_kind == "evaluation"
    assert regulation.kind("assessment").report_by == "manager"


def test_zaanstad_recording_is_free_form_except_the_assessment():
    """000_9d859c861268658d.txt: "Vastlegging is, afgezien van de beoordeling, vormvrij, dit
    kan bijvoorbeeld in de vorm van een PowerPoint of infographic."."""
    regulation = load_preset("zaanstad")
    for kind_id in ("check_in", "evaluation"):
        assert regulation.kind(kind_id).recording.mode == "free_text"
        assert regulation.kind(kind_id).recording.attachments
    assert regulation.kind("assessment").recording.mode == "structured"
    assert not regulation.kind("check_in").recording.required


def test_zaanstad_last_check_in_can_double_as_the_evaluation():
    """000_9d859c861268658d.txt: "Ten minste één keer per jaar vindt er een gezamenlijke
    evaluatie plaats" (combining it with a regular conversation is the preset's choice)."""
    held = [HeldConversation("check_in", date(2024, 11, 20), combined_with=("evaluation",))]
    (evaluation,) = _of(_schedule("zaanstad", held=held, as_of=date(2024, 12, 1)), "evaluation")
    assert evaluation.status == "done"
    assert "combined with the regular conversation" in render_reason(evaluation, "en")


# -- Heemstede ---------------------------------------------------------------------------


def test_heemstede_three_conversations_a_year():
    """001_6a145d970164611e.txt: "De cyclus van jaargesprekken bestaat uit drie gesprekken:
    het planningsgesprek, het voortgangsgesprek en het evaluatiegesprek."."""
    assert _kinds(_schedule("heemstede")) == ["planning", "progress", "evaluation"]


def test_heemstede_progress_halfway():
    """001_6a145d970164611e.txt: "dat er in ieder geval één voortgangsgesprek (halverwege de
    looptijd van het individueel werkplan) wordt gevoerd"."""
    (progress,) = _of(_schedule("heemstede"), "progress")
    assert progress.due_from < YEAR_2024.midpoint < progress.due_by
    assert "middle of the period" in render_reason(progress, "en")


def test_heemstede_evaluation_after_the_period():
    """001_6a145d970164611e.txt: "Na afloop van de afgesproken periode (in de regel 12
    maanden) is het tijd om de balans op te maken in een evaluatiegesprek."."""
    (evaluation,) = _of(_schedule("heemstede"), "evaluation")
    assert evaluation.due_from < YEAR_2024.end < evaluation.due_by
    assert evaluation.initiative == "employee"


def test_heemstede_period_start_depends_on_the_unit():
    """001_6a145d970164611e.txt: "Wanneer de cyclus van jaargesprekken begint hangt af van de
    begroting en het afdelingsplan."."""
    regulation = load_preset("heemstede")
    unit_in_september = dataclasses.replace(VETERAN, period_start_month=9)
    period = period_for(regulation, unit_in_september, 2024)
    assert period == Period(date(2024, 9, 1), date(2025, 8, 31))
    items = compute_schedule(regulation, unit_in_september, period, [], date(2024, 9, 1))
    assert _of(items, "planning")[0].due_by == date(2024, 10, 1)


def test_heemstede_evaluation_and_next_planning_in_one_conversation():
    """001_6a145d970164611e.txt: "Het plannings- en evaluatiegesprek kan ook in een gesprek
    worden gecombineerd: eerst terugkijken met elkaar en vervolgens dit vertalen in afspraken
    naar de toekomst."."""
    # In 2024 the conversation settles the evaluation; it cannot be 2024's planning, whose
    # window closed in February.
    as_evaluation = HeldConversation("evaluation", date(2024, 12, 15), combined_with=("planning",))
    this_year = _schedule("heemstede", held=[as_evaluation], as_of=date(2025, 1, 5))
    assert _of(this_year, "evaluation")[0].status == "done"
    assert _of(this_year, "planning")[0].status == "overdue"
    # For 2025 it is recorded as the planning; it does not settle 2025's evaluation.
    next_year = Period(date(2025, 1, 1), date(2025, 12, 31))
    as_planning = HeldConversation("planning", date(2024, 12, 15), combined_with=("evaluation",))
    items = _schedule("heemstede", held=[as_planning], as_of=date(2025, 1, 5), period=next_year)
    assert (_of(items, "planning")[0].status, _of(items, "planning")[0].held_on) == (
        "done",
        date(2024, 12, 15),
    )
    assert _of(items, "evaluation")[0].status == "not_yet"


def test_combining_counts_only_where_the_regulation_allows_it():
    """002_311acb97e56667f2.txt has no combined conversations: "Een voortgangsgesprek is het
    overleg tussen leidinggevende en medewerker over bereikte of nog te bereiken resultaten"."""
    held = [HeldConversation("progress", date(2024, 12, 10), combined_with=("assessment",))]
    items = _schedule("kampen", held=held, as_of=date(2024, 12, 15))
    assert _of(items, "assessment")[0].status == "due"


def test_heemstede_planning_with_manager_or_designated_person():
    """001_6a145d970164611e.txt: "Het planningsgesprek vindt plaats met de directe
    leidinggevende of een door hem/haar aangewezen persoon."."""
    regulation = load_preset("heemstede")
    assert regulation.kind("planning").conducted_by == ("manager", "delegate")
    assert regulation.kind("progress").conducted_by == ("manager", "delegate")


def test_heemstede_director_reads_the_reports():
    """001_6a145d970164611e.txt: "De verslagen worden ook ingezien door de directeur waar jouw
    afdeling onder valt."."""
    visibility = load_preset("heemstede").visibility
    assert visibility.may_read("director", "report")
    assert not visibility.may_read("hr_admin", "report")


def test_heemstede_assessment_only_on_request():
    """001_6a145d970164611e.txt: "Maar dit gesprek wordt alleen gehouden als je leidinggevende
    en / of jij dat wilt."."""
    assert "assessment" not in _kinds(_schedule("heemstede"))
    requested = dataclasses.replace(VETERAN, requested_kinds=frozenset({"assessment"}))
    (assessment,) = _of(_schedule("heemstede", requested), "assessment")
    assert "Requested." in render_reason(assessment, "en")
    assert "Aangevraagd." in render_reason(assessment, "nl")


def test_heemstede_assessment_objection_route():
    """001_6a145d970164611e.txt: "De medewerker kan bezwaar maken tegen de beoordeling."."""
    objection = load_preset("heemstede").assessment.objection
    assert objection.route == "formal_objection"
    assert objection.term_days == 42
    assert objection.deadline(date(2024, 3, 1)) == date(2024, 4, 12)


def _probationer() -> EmployeeFacts:
    return EmployeeFacts(
        employment_start=date(2024, 3, 1), appointment="probation", probation_end=date(2025, 3, 1)
    )


def test_heemstede_probation_first_year():
    """001_6a145d970164611e.txt: "dat het planningsgesprek vroeg in het eerste jaar
    plaatsvindt. ... Een aantal maanden na indiensttreding kan dan het voortgangsgesprek
    plaatsvinden. Aan het einde van het jaar wordt het evaluatiegesprek gevoerd."."""
    regulation = load_preset("heemstede")
    facts = _probationer()
    period = period_for(regulation, facts, 2024)
    assert period == Period(date(2024, 3, 1), date(2025, 2, 28))
    items = compute_schedule(regulation, facts, period, [], date(2024, 3, 5))
    assert _kinds(items) == ["planning", "progress", "evaluation"]
    planning, progress, evaluation = items
    assert (planning.due_from, planning.due_by) == (date(2024, 3, 1), date(2024, 4, 1))
    assert (progress.due_from, progress.due_by) == (date(2024, 6, 1), date(2024, 7, 1))
    assert (evaluation.due_from, evaluation.due_by) == (date(2025, 2, 1), date(2025, 2, 28))
    assert "probation.kinds[0]" in render_reason(planning, "en")
    assert "Regel voor de proeftijd." in render_reason(planning, "nl")


def test_heemstede_probation_assessment_three_months_before_the_end():
    """001_6a145d970164611e.txt: "3 maanden voor de beëindiging van tijdelijke aanstelling bij
    wijze van proef wordt het beoordelingsgesprek gevoerd." and "Om een beoordelingsgesprek te
    kunnen voeren moeten verbeterpunten voor de medewerker duidelijk in het voortgangsgesprek
    aan de orde zijn geweest."."""
    regulation = load_preset("heemstede")
    facts = _probationer()
    period = period_for(regulation, facts, 2024)
    held = [HeldConversation("progress", date(2024, 6, 20), improvement_points_recorded=True)]
    items = compute_schedule(regulation, facts, period, held, date(2024, 11, 15))
    (assessment,) = _of(items, "assessment")
    assert assessment.due_by == date(2024, 12, 1) == facts.probation_end - relativedelta(months=3)
    assert assessment.status == "due"
    english = "Improvement points were recorded in the progress conversation of 2024-06-20."
    dutch = "Verbeterpunten zijn vastgelegd in het voortgangsgesprek van 2024-06-20."
    assert english in render_reason(assessment, "en")
    assert dutch in render_reason(assessment, "nl")


def test_heemstede_no_probation_assessment_without_improvement_points():
    """001_6a145d970164611e.txt: "Om een beoordelingsgesprek te kunnen voeren moeten
    verbeterpunten voor de medewerker duidelijk in het voortgangsgesprek aan de orde zijn
    geweest."."""
    regulation = load_preset("heemstede")
    facts = _probationer()
    period = period_for(regulation, facts, 2024)
    without = [HeldConversation("progress", date(2024, 6, 20))]
    assert "assessment" not in _kinds(
        compute_schedule(regulation, facts, period, without, date(2024, 11, 15))
    )
    too_late = [HeldConversation("progress", date(2024, 12, 10), improvement_points_recorded=True)]
    assert "assessment" not in _kinds(
        compute_schedule(regulation, facts, period, too_late, date(2024, 12, 15))
    )


def test_heemstede_no_probation_assessment_once_appointed_permanently():
    """001_6a145d970164611e.txt: "Soms kan het voorkomen dat een vaste aanstelling niet wordt
    verleend. Er wordt dan aan het einde van de periode een beoordelingsgesprek gevoerd."."""
    regulation = load_preset("heemstede")
    permanent = dataclasses.replace(_probationer(), appointment="permanent")
    held = [HeldConversation("progress", date(2024, 6, 20), improvement_points_recorded=True)]
    period = period_for(regulation, permanent, 2024)
    assert period == YEAR_2024
    assert "assessment" not in _kinds(
        compute_schedule(regulation, permanent, period, held, date(2024, 11, 15))
    )


# -- Kampen ------------------------------------------------------------------------------


def test_kampen_yearly_agreements_progress_and_assessment():
    """002_311acb97e56667f2.txt: "De medewerker stelt samen met de leidinggevende jaarlijks
    resultaatgerichte afspraken vast." and "de jaarlijks op te maken personeelsbeoordeling"."""
    items = _schedule("kampen")
    assert _kinds(items) == ["planning", "progress", "assessment"]


def test_kampen_manager_responsible_employee_records():
    """002_311acb97e56667f2.txt: "De leidinggevende is er verantwoordelijk voor dat de
    resultaatgerichte afspraken jaarlijks worden opgemaakt." and "De afspraken worden digitaal
    vastgelegd door de medewerker"."""
    planning = load_preset("kampen").kind("planning")
    assert planning.initiative.by == "manager"
    assert planning.report_by == "employee"
    assert _of(_schedule("kampen"), "planning")[0].initiative == "manager"


def test_kampen_both_sign_that_agreements_can_be_met():
    """002_311acb97e56667f2.txt: "door leidinggevende en medewerker digitaal ondertekend. Door
    ondertekening verklaren beiden dat de gemaakte afspraken redelijkerwijs kunnen worden
    nagekomen."."""
    for kind_id in ("planning", "progress"):
        signatures = load_preset("kampen").kind(kind_id).signatures
        assert {signature.role for signature in signatures} == {"employee", "manager"}
        assert all(signature.statement == "voor_akkoord" for signature in signatures)
        assert all("redelijkerwijs" in signature.declaration.nl for signature in signatures)


def test_kampen_forms_archived_in_the_personnel_file():
    """002_311acb97e56667f2.txt: "Na volledige invulling en ondertekening wordt het formulier
    digitaal gearchiveerd in het personeelsdossier."."""
    archiving = load_preset("kampen").archiving
    for document, kind_id in (("agreements", "planning"), ("report", "progress")):
        assert archiving.rule_for(document, kind_id).personnel_file


# -- Wierden -----------------------------------------------------------------------------


def test_wierden_at_least_one_annual_conversation():
    """004_bc48fda3c8585b24.txt: "Het goede gesprek is een combinatie tussen regelmatige
    feedback én jaarlijkse tenminste 1 gesprek"."""
    assert _kinds(_schedule("wierden")) == ["annual"]


def test_wierden_employee_takes_the_initiative_else_the_manager():
    """004_bc48fda3c8585b24.txt: "Medewerkers zorgen ervoor, dat het jaarlijkse gesprek wordt
    gevoerd met hun leidinggevende. Als dit niet gebeurt, dan neemt de leidinggevende het
    initiatief."."""
    (early,) = _schedule("wierden", as_of=date(2024, 10, 15))
    assert (early.status, early.initiative) == ("due", "employee")
    (late,) = _schedule("wierden", as_of=date(2024, 11, 5))
    assert (late.status, late.initiative) == ("due", "manager")
    (held,) = _schedule(
        "wierden", held=[HeldConversation("annual", date(2024, 11, 1))], as_of=date(2024, 11, 5)
    )
    assert (held.status, held.initiative) == ("done", "employee")


def test_wierden_employee_writes_and_both_sign_into_the_personnel_file():
    """004_bc48fda3c8585b24.txt: "Van het goede gesprek maakt de medewerker verslag." and "Het
    verslag wordt door zowel de medewerker als de leidinggevende via Youforce ondertekend en
    opgenomen in het personeelsdossier."."""
    regulation = load_preset("wierden")
    annual = regulation.kind("annual")
    assert annual.report_by == "employee"
    assert annual.recording.mode == "free_text"
    assert not annual.recording.form_required
    assert {signature.role for signature in annual.signatures} == {"employee", "manager"}
    assert regulation.archiving.rule_for("report", "annual").personnel_file


def test_wierden_four_core_values_on_the_form():
    """004_bc48fda3c8585b24.txt: "onze 4 V's, zoals uitgewerkt in onze visie op
    dienstverlening: vakmanschap, vertrouwen, verbinden en vernieuwingskracht"."""
    form = load_preset("wierden").form("annual_report")
    core_values = next(section for section in form.sections if section.id == "core_values")
    assert [item.id for item in core_values.items] == [
        "vakmanschap",
        "vertrouwen",
        "verbinden",
        "vernieuwingskracht",
    ]


def test_wierden_assessment_only_for_a_legal_position_decision():
    """004_bc48fda3c8585b24.txt: "Een beoordelingsgesprek voeren we alleen nog bij het nemen
    van een 'rechtspositionele' beslissing."."""
    assert load_preset("wierden").assessment.when == ("legal_position_only",)
    requested = dataclasses.replace(VETERAN, requested_kinds=frozenset({"assessment"}))
    assert "assessment" in _kinds(_schedule("wierden", requested))


# -- Klassiek ----------------------------------------------------------------------------


def test_klassiek_planning_then_performance_then_assessment():
    """003_fa5a3079443deb5b.txt: "Maak duidelijk hoe dit gesprek zich verhoudt tot het
    functionering- en beoordelingsgesprek." and "Maak ook een vervolgafspraak voor een
    evaluerend gesprek. Dit kan ook het functioneringsgesprek zijn."."""
    items = _schedule("klassiek")
    assert _kinds(items) == ["planning", "performance", "assessment"]
    assert items[0].due_by < items[1].due_from
    assert items[1].due_by < items[2].due_from


def test_klassiek_planning_uses_the_guides_agenda_and_form():
    """003_fa5a3079443deb5b.txt: "1. Introductie planningsgesprek", "2. Komende periode", "3.
    Bepalen resultaten en ontwikkeldoelen", "4. Afronding" and "Zorg ervoor dat de
    leidinggevende en de medewerker het gesprek voorbereiden, bijvoorbeeld aan de hand van het
    Planningsformulier"."""
    regulation = load_preset("klassiek")
    planning = regulation.kind("planning")
    agenda = regulation.form(planning.agenda)
    assert [section.id for section in agenda.sections] == [
        "introduction",
        "coming_period",
        "results_and_goals",
        "wrap_up",
    ]
    form = regulation.form(planning.recording.form)
    assert form.label.nl == "Planningsformulier"
    items = {item.id for section in form.sections for item in section.items}
    assert {"volume", "time_per_client", "study", "career", "training", "indicators"} <= items
