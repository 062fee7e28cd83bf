"""The shipped method catalogue, in Dutch and English.

Loaded by a data migration (``load_catalogue`` takes the model classes so the migration can pass
its historical models). Minutes are defaults: groups copy a method and adjust them. Methods whose
steps or minutes no source confirmed are shipped with ``verified=False``.

A phase is (name_nl, name_en, minutes, presenter_state, group_mode, turn_taking, quota,
produces, optional, rules_nl, rules_en, prompts_nl, prompts_en).
"""

SPEAKS, BRIEF, SILENT, AWAY, OUT, PITCH, SORT = (
    "speaks",
    "answers_briefly",
    "silent_listening_notes",
    "turned_away",
    "absent",
    "pitching",
    "sorting_questions",
)
LISTEN, CLARIFY, OPEN_Q, WRITE, GOSSIP, ADVICE, FREE, REFLECT, VOTE = (
    "listen_only",
    "clarifying_questions_only",
    "open_questions_only",
    "silent_writing",
    "discussion_without_presenter",
    "round_robin_advice",
    "free_discussion",
    "reflection_round",
    "vote",
)

NO_ADVICE_NL = "Alleen open vragen — geen adviezen, geen 'waarom heb je niet…?'"
NO_ADVICE_EN = "Open questions only — no advice, no 'why didn't you…?'"


def phase(
    name_nl,
    name_en,
    minutes,
    presenter,
    group,
    *,
    turns="free",
    quota=None,
    produces="none",
    optional=False,
    rules=("", ""),
    prompts=((), ()),
):
    return {
        "name_nl": name_nl,
        "name_en": name_en,
        "minutes": minutes,
        "presenter_state": presenter,
        "group_mode": group,
        "turn_taking": turns,
        "quota_per_person": quota,
        "produces": produces,
        "optional": optional,
        "rules_nl": rules[0],
        "rules_en": rules[1],
        "prompts_nl": list(prompts[0]),
        "prompts_en": list(prompts[1]),
    }


CATALOGUE = [
    {
        "code": "incidentmethode",
        "family": "incident",
        "name_nl": "Incidentmethode",
        "name_en": "Incident method",
        "summary_nl": "Veel concrete handelingsopties voor een recent incident. De inbrenger "
        "vertelt tot het moment van handelen. Goed voor beginnende groepen.",
        "summary_en": "Many concrete options for a recent incident. The presenter tells the "
        "story up to the moment of action. Good for new groups.",
        "sources": "Hendriksen, Intervisie bij werkproblemen; wikiwijs; fotoscholing.nl",
        "phases": [
            phase(
                "Incident kiezen",
                "Choose the incident",
                5,
                PITCH,
                VOTE,
                rules=(
                    "Ieder noemt kort een incident; kies er één.",
                    "Everyone briefly names an incident; choose one.",
                ),
            ),
            phase(
                "Situatie schetsen tot het moment van handelen",
                "Sketch the situation up to the moment of action",
                10,
                SPEAKS,
                LISTEN,
                rules=("Luisteren, niet onderbreken.", "Listen; do not interrupt."),
            ),
            phase(
                "Vragen noteren",
                "Write down your questions",
                5,
                SILENT,
                WRITE,
                quota=3,
                produces="question",
                rules=(
                    "Schrijf in stilte minstens drie vragen op.",
                    "Silently write at least three questions.",
                ),
            ),
            phase(
                "Informatieronde",
                "Information round",
                10,
                BRIEF,
                CLARIFY,
                turns="round_robin",
                produces="question",
                rules=(
                    "Feitelijke en open vragen; geen interpretatie, geen advies.",
                    "Factual and open questions only; no interpretation, no advice.",
                ),
                prompts=(("Wie, wat, waar, wanneer?",), ("Who, what, where, when?",)),
            ),
            phase(
                "Analyse zonder de inbrenger",
                "Analysis without the presenter",
                10,
                OUT,
                GOSSIP,
                rules=(
                    "Oorzaken en verbanden; de inbrenger is even weg.",
                    "Causes and connections; the presenter steps out.",
                ),
            ),
            phase(
                "Standpunt opschrijven: wat zou ik doen?",
                "Written position: what would I do?",
                10,
                SILENT,
                WRITE,
                produces="written_position",
                rules=("In stilte schrijven, geen discussie.", "Silent writing, no discussion."),
            ),
            phase(
                "Standpuntenronde",
                "Positions round",
                10,
                SILENT,
                ADVICE,
                turns="round_robin",
                produces="advice",
                rules=(
                    "Ieder vertelt wat hij zou doen; de inbrenger luistert en reageert niet.",
                    "Each tells what they would do; the presenter listens and does not react.",
                ),
            ),
            phase(
                "Wat deed de inbrenger echt?",
                "What the presenter actually did",
                15,
                SPEAKS,
                FREE,
                rules=("Pas nu is er discussie.", "Only now is there discussion."),
            ),
            phase(
                "Evaluatie",
                "Evaluation",
                5,
                SPEAKS,
                REFLECT,
                turns="round_robin",
                produces="takeaway",
                rules=(
                    "Inhoud en proces: wat neem je mee?",
                    "Content and process: what do you take away?",
                ),
            ),
        ],
    },
    {
        "code": "roddelmethode",
        "family": "roddel",
        "name_nl": "Roddelmethode",
        "name_en": "Gossip method",
        "summary_nl": "Speels en confronterend; alleen voor een groep die elkaar kent en "
        "veilig voelt.",
        "summary_en": "Playful and confrontational; only for a group that knows each other and "
        "feels safe.",
        "requires_trusted_group": True,
        "sources": "managementissues.com; bpopleidingen.nl; me-we-elearning.com",
        "phases": [
            phase(
                "Vraag inbrengen",
                "Introduce the question",
                5,
                SPEAKS,
                LISTEN,
                rules=(
                    "Kort en krachtig; lange verhalen worden afgekapt.",
                    "Short and powerful; long stories are cut off.",
                ),
            ),
            phase(
                "Verkennen: open vragen",
                "Exploration: open questions",
                10,
                BRIEF,
                OPEN_Q,
                turns="round_robin",
                quota=3,
                produces="question",
                rules=(
                    "Maximaal drie open vragen per persoon; kort antwoorden.",
                    "At most three open questions each; short answers.",
                ),
            ),
            phase(
                "Roddelfase",
                "Gossip phase",
                15,
                AWAY,
                GOSSIP,
                rules=(
                    "De inbrenger zit met de rug naar de groep en bemoeit zich niet; "
                    "praat óver de inbrenger in de derde persoon.",
                    "The presenter sits with their back to the group and does not "
                    "interfere; talk about them in the third person.",
                ),
            ),
            phase(
                "Oogsten",
                "Harvest",
                10,
                SPEAKS,
                LISTEN,
                rules=(
                    "Wat trof je, welke actie neem je?",
                    "What struck you, which action will you take?",
                ),
            ),
            phase(
                "Evaluatie van het proces",
                "Process evaluation",
                5,
                SPEAKS,
                REFLECT,
                turns="round_robin",
                produces="takeaway",
            ),
        ],
    },
    {
        "code": "balint-intervisie",
        "family": "balint",
        "name_nl": "Balintmethode (intervisievariant)",
        "name_en": "Balint method (intervision variant)",
        "summary_nl": "Inzicht in het eigenlijke probleem en blinde vlekken in een relatie.",
        "summary_en": "Insight into the real problem and blind spots in a relationship.",
        "min_group": 5,
        "requires_trusted_group": True,
        "case_requirements_nl": "Een relationele of emotionele casus, geen technische vraag.",
        "case_requirements_en": "A relational or emotional case, not a technical question.",
        "sources": "movisie.nl; bpopleidingen.nl; hrdacademy.be",
        "phases": [
            phase(
                "Casussen verzamelen en pitchen",
                "Collect and pitch cases",
                5,
                PITCH,
                LISTEN,
                rules=(
                    "Ieder kandidaat-inbrenger in maximaal drie zinnen.",
                    "Each candidate in at most three sentences.",
                ),
            ),
            phase("Casus kiezen", "Choose the case", 5, PITCH, VOTE),
            phase(
                "Inbrenger vertelt",
                "Presenter explains",
                10,
                SPEAKS,
                LISTEN,
                rules=(
                    "Inclusief gevoelens en de relatie; nog niet de afloop.",
                    "Including feelings and the relationship; not yet the outcome.",
                ),
            ),
            phase(
                "Associëren",
                "Associate",
                5,
                SILENT,
                WRITE,
                produces="association",
                rules=("Schrijf je eerste associatie op.", "Write down your first association."),
            ),
            phase(
                "Beeldvorming",
                "Forming a picture",
                15,
                BRIEF,
                CLARIFY,
                produces="question",
                rules=(NO_ADVICE_NL, NO_ADVICE_EN),
            ),
            phase(
                "Individueel oordeel", "Individual judgement", 5, SILENT, WRITE, produces="advice"
            ),
            phase(
                "Groepsoordeel",
                "Group judgement",
                15,
                SILENT,
                ADVICE,
                turns="round_robin",
                produces="advice",
                rules=(
                    "De inbrenger reageert niet tussendoor.",
                    "The presenter does not react in between.",
                ),
            ),
            phase("Besluitvorming", "Decision", 10, SPEAKS, LISTEN),
            phase(
                "Evaluatie",
                "Evaluation",
                5,
                SPEAKS,
                REFLECT,
                turns="round_robin",
                produces="takeaway",
            ),
        ],
    },
    {
        "code": "socratisch-kort",
        "family": "socratic",
        "name_nl": "Socratisch gesprek (korte intervisievariant)",
        "name_en": "Socratic dialogue (short intervision variant)",
        "summary_nl": "Maximale regie voor de inbrenger: vragen sorteren op warm, koud, neutraal.",
        "summary_en": "Maximum control for the presenter: sort questions warm, cold, neutral.",
        "verified": False,
        "sources": "me-we-elearning.com (minuten zijn schattingen; de bron geeft er geen)",
        "phases": [
            phase(
                "Toelichting en verhelderende vragen",
                "Explanation and clarifying questions",
                10,
                SPEAKS,
                CLARIFY,
                produces="question",
            ),
            phase(
                "Open vragen schrijven",
                "Write open questions",
                5,
                SILENT,
                WRITE,
                quota=3,
                produces="question",
                rules=(
                    "Eén tot drie open vragen per persoon.",
                    "One to three open questions each.",
                ),
            ),
            phase(
                "Vragen sorteren: warm, koud, neutraal",
                "Sort questions: warm, cold, neutral",
                5,
                SORT,
                LISTEN,
            ),
            phase("Warme vragen beantwoorden", "Answer the warm questions", 15, SPEAKS, LISTEN),
            phase(
                "Vraag herformuleren",
                "Reformulate the question",
                5,
                SPEAKS,
                LISTEN,
                produces="reformulated_question",
            ),
            phase("Krachten verkennen", "Explore strengths", 15, SPEAKS, FREE, produces="advice"),
            phase(
                "Aanpak en eerste actie",
                "Approach and first action",
                5,
                SPEAKS,
                LISTEN,
                produces="action",
            ),
        ],
    },
    {
        "code": "vijfstappenmethode",
        "family": "five_step",
        "name_nl": "Vijfstappenmethode",
        "name_en": "Five-step method",
        "summary_nl": "Voor inhoudelijke en kennisvragen; goed voor IT- en technische teams.",
        "summary_en": "For content and knowledge questions; good for IT and technical teams.",
        "sources": "lessonup.com; docplayer.nl Methodieken voor intervisie",
        "phases": [
            phase("Vraag introduceren", "Introduce the question", 5, SPEAKS, LISTEN),
            phase(
                "Probleem verkennen (5W)",
                "Explore the problem (5W)",
                20,
                BRIEF,
                OPEN_Q,
                produces="question",
                rules=(
                    "Vraag minstens vier keer 'waarom'; houd 'hoe' buiten de analyse.",
                    "Ask 'why' at least four times; keep 'how' out of the analysis.",
                ),
                prompts=(
                    ("Wie?", "Wat?", "Waar?", "Wanneer?", "Waarom?"),
                    ("Who?", "What?", "Where?", "When?", "Why?"),
                ),
            ),
            phase(
                "Kern van het probleem",
                "Core of the problem",
                10,
                SILENT,
                FREE,
                produces="key_question",
            ),
            phase(
                "Adviesronde",
                "Advice round",
                15,
                SILENT,
                ADVICE,
                turns="round_robin",
                quota=1,
                produces="advice",
                rules=(
                    "Ieder geeft minstens één advies; de inbrenger zegt welk aanspreekt.",
                    "Each gives at least one piece of advice; the presenter says which appeals.",
                ),
            ),
            phase(
                "Evaluatie door de inbrenger",
                "Evaluation by the presenter",
                5,
                SPEAKS,
                REFLECT,
                produces="takeaway",
            ),
        ],
    },
    {
        "code": "tienstappenmethode",
        "family": "ten_step",
        "name_nl": "Tienstappenmethode",
        "name_en": "Ten-step method",
        "summary_nl": "Voor onervaren groepen; tijdrovend (90–120 minuten).",
        "summary_en": "For inexperienced groups; time-hungry (90–120 minutes).",
        "verified": False,
        "sources": "bpopleidingen.nl (minuten zijn schattingen)",
        "phases": [
            phase(
                "Probleemsituatie beschrijven",
                "Describe the problem situation",
                10,
                SPEAKS,
                LISTEN,
                rules=(
                    "Gericht op de eigen rol en het effect ervan.",
                    "Focused on your own role and its effect.",
                ),
            ),
            phase(
                "Verhelderende vragen formuleren",
                "Formulate clarifying questions",
                10,
                SILENT,
                WRITE,
                produces="question",
            ),
            phase("Vragen waarderen", "Rate the questions", 5, SORT, LISTEN),
            phase("Vragen beantwoorden", "Answer the questions", 15, SPEAKS, LISTEN),
            phase(
                "Aanvullende vragenronde",
                "Additional question round",
                10,
                BRIEF,
                OPEN_Q,
                turns="round_robin",
                produces="question",
            ),
            phase("Kern bepalen", "Define the core", 10, SILENT, FREE),
            phase(
                "Probleem herdefiniëren",
                "Redefine the problem",
                5,
                SPEAKS,
                LISTEN,
                produces="reformulated_question",
            ),
            phase("Nieuwe aanpak", "New approach", 10, SPEAKS, FREE),
            phase(
                "Tips en adviezen",
                "Tips and advice",
                10,
                SILENT,
                ADVICE,
                turns="round_robin",
                produces="advice",
            ),
            phase(
                "Persoonlijke inzichten",
                "Personal insights",
                10,
                SPEAKS,
                REFLECT,
                turns="round_robin",
                produces="takeaway",
            ),
        ],
    },
    {
        "code": "kollegiale-beratung",
        "family": "kollegiale_beratung",
        "name_nl": "Kollegiale Beratung (Tietze)",
        "name_en": "Kollegiale Beratung (Tietze)",
        "summary_nl": "De snelle standaard: 45–50 minuten per casus, met een secretaris.",
        "summary_en": "The quick default: 45–50 minutes per case, with a secretary.",
        "sources": "kollegiale-beratung.de; oer.fh-joanneum.at (enkele minuten geschat)",
        "phases": [
            phase(
                "Casting: rollen kiezen",
                "Casting: choose roles",
                5,
                SPEAKS,
                FREE,
                rules=(
                    "Kies moderator, inbrenger en secretaris.",
                    "Choose moderator, presenter and secretary.",
                ),
            ),
            phase(
                "Spontaan vertellen",
                "Spontaneous account",
                10,
                SPEAKS,
                CLARIFY,
                produces="question",
                rules=(
                    "Aan het eind twee à drie verhelderende vragen, geen verborgen oplossingen.",
                    "At the end two or three clarifying questions, no hidden solutions.",
                ),
            ),
            phase("Sleutelvraag", "Key question", 5, SPEAKS, LISTEN, produces="key_question"),
            phase(
                "Methode kiezen",
                "Choose the module",
                5,
                SPEAKS,
                LISTEN,
                prompts=(
                    ("Brainstorm", "Omgekeerde brainstorm", "Resonantieronde", "Hypothesen"),
                    ("Brainstorming", "Reverse brainstorming", "Resonance round", "Hypotheses"),
                ),
            ),
            phase(
                "Beraadslaging",
                "Consultation",
                10,
                SILENT,
                ADVICE,
                turns="round_robin",
                produces="advice",
                rules=(
                    "Eén bijdrage per beurt; de inbrenger luistert alleen.",
                    "One contribution per turn; the presenter only listens.",
                ),
            ),
            phase("Afsluiting", "Closing", 5, SPEAKS, REFLECT, produces="takeaway"),
        ],
    },
    {
        "code": "action-learning-set",
        "family": "action_learning",
        "name_nl": "Action learning set (Revans)",
        "name_en": "Action learning set (Revans)",
        "summary_nl": "Zendtijd per lid: vragen van verhelderend naar toekomstige actie.",
        "summary_en": "Airtime per member: questions from clarifying to future action.",
        "sources": "idyia.co.uk; actionlearningassociates.co.uk",
        "phases": [
            phase(
                "Check-in en terugkoppeling acties",
                "Check-in and report-back on actions",
                10,
                SPEAKS,
                REFLECT,
                turns="round_robin",
            ),
            phase("Ononderbroken presentatie", "Uninterrupted presentation", 10, SPEAKS, LISTEN),
            phase(
                "Vragen: verhelderend, reflectief, actie",
                "Questions: clarifying, reflective, action",
                30,
                BRIEF,
                OPEN_Q,
                produces="question",
                rules=(
                    "Geen adviezen, anekdotes of oordelen.",
                    "No advice, anecdotes or judgement.",
                ),
            ),
            phase("Acties vastleggen", "Commit to actions", 5, SPEAKS, LISTEN, produces="action"),
            phase("Procesreflectie", "Process review", 5, SPEAKS, REFLECT, produces="takeaway"),
        ],
    },
    {
        "code": "troika-consulting",
        "family": "troika",
        "name_nl": "Troika Consulting",
        "name_en": "Troika Consulting",
        "summary_nl": "In drietallen, ongeveer tien minuten per ronde.",
        "summary_en": "In trios, about ten minutes per round.",
        "min_group": 3,
        "max_group": 4,
        "sources": "liberatingstructures-uncovered.com; workshopr.io",
        "phases": [
            phase(
                "Voorbereiden",
                "Prepare",
                1,
                SILENT,
                WRITE,
                prompts=(
                    ("Wat is je uitdaging? Welke hulp heb je nodig?",),
                    ("What is your challenge? What help do you need?",),
                ),
            ),
            phase("Uitdaging delen", "Share the challenge", 2, SPEAKS, LISTEN),
            phase(
                "Verhelderende vragen",
                "Clarifying questions",
                2,
                BRIEF,
                CLARIFY,
                produces="question",
                rules=(NO_ADVICE_NL, NO_ADVICE_EN),
            ),
            phase(
                "Consultants bedenken ideeën",
                "Consultants generate ideas",
                5,
                AWAY,
                GOSSIP,
                produces="advice",
                rules=(
                    "De klant draait zich om (online: camera en microfoon uit).",
                    "The client turns their back (online: camera and mic off).",
                ),
            ),
            phase(
                "Wat was waardevol?",
                "What was most valuable?",
                2,
                SPEAKS,
                LISTEN,
                produces="takeaway",
            ),
        ],
    },
    {
        "code": "u-procedure",
        "family": "u_procedure",
        "name_nl": "U-procedure (niet geverifieerd)",
        "name_en": "U-procedure (unverified)",
        "summary_nl": "Niet geverifieerd: controleer tegen Hendriksen vóór gebruik.",
        "summary_en": "Unverified: check against Hendriksen before use.",
        "verified": False,
        "sources": "Geen beschrijvende bron gevonden.",
        "phases": [
            phase("Feiten: wat gebeurde er?", "Facts: what happened?", 10, SPEAKS, CLARIFY),
            phase("Beleving en gevoelens", "Experience and feelings", 10, SPEAKS, OPEN_Q),
            phase(
                "Onderliggende waarden: waar gaat het eigenlijk om?",
                "Underlying values: what is it really about?",
                15,
                SPEAKS,
                FREE,
            ),
            phase("Gewenste waarden en intentie", "Desired values and intent", 10, SPEAKS, FREE),
            phase(
                "Opties en aanpak", "Options and approach", 10, SILENT, ADVICE, produces="advice"
            ),
            phase(
                "Concrete acties en afspraken",
                "Concrete actions and agreements",
                10,
                SPEAKS,
                LISTEN,
                produces="action",
            ),
        ],
    },
]


def load_catalogue(method_model, phase_model) -> None:
    """Create or refresh the catalogue methods (group-less rows) and their phases. Idempotent."""
    for spec in CATALOGUE:
        spec = dict(spec)
        phases = spec.pop("phases")
        method, _created = method_model.objects.update_or_create(
            code=spec.pop("code"), group=None, defaults=spec
        )
        phase_model.objects.filter(method=method).delete()
        phase_model.objects.bulk_create(
            phase_model(method=method, order=index, **fields)
            for index, fields in enumerate(phases, start=1)
        )
