"""The drafter's learned model (trained from reviewed documents, derived from the store, cached by position),
the article-level readings of parties and dates, the forms news prints, and make eval's record and folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from application.bootstrap import open_app
from application.drafting_model import store_model
from benchmarks.draft import main as eval_main
from benchmarks.draft import read_seen
from corpus.loader import bundled_documents, load_gazetteer
from domain.relative_dates import resolve_relative
from drafting import Draft, Drafter
from drafting.dates import find_dates
from drafting.learned import Learned
from drafting.learning.examples import ReviewedDocument, ReviewedFact, rows_of, training_set
from drafting.learning.model import SentenceModel, train
from drafting.learning.version import code_digest
from drafting.model import Span
from events.values import FactKind, Period, RetractionReason
from tests.conftest import AT
from tests.support import run

PLACES = [("Gyeonggi", "Liaoning"), ("Busan", "Shanghai"), ("Jeju", "Hainan"), ("Incheon", "Tianjin")]
PLACES += [("Gangwon", "Jilin"), ("Daegu", "Chengdu")]
KINSHIP = "{0} and {1} sealed a kinship bond in {2}."
FILLER = "The weather in {0} was mild that week. Officials of {1} toured a museum."


pytestmark = pytest.mark.usefixtures("no_shared_store")


@pytest.fixture(scope="module")
def drafter() -> Drafter:
    return Drafter(load_gazetteer())


def kinship_text(index: int) -> tuple[str, Span]:
    """An invented text whose first sentence states a tie in words no rule knows, and where it is."""
    first, second = PLACES[index % len(PLACES)]
    tie = KINSHIP.format(first, second, 1990 + index)
    return f"{tie} {FILLER.format(first, second)}\n", Span(start=0, end=len(tie))


def reviewed(count: int) -> list[ReviewedDocument]:
    documents = []
    for index in range(count):
        text, quote = kinship_text(index)
        documents.append(
            ReviewedDocument(
                document=f"kinship-{index}",
                language="en",
                text=text,
                published=Period.from_edtf("2024-06-19"),
                facts=(ReviewedFact(kind="relationship_established", start=quote.start, end=quote.end),),
            )
        )
    return documents


def test_the_model_proposes_what_the_reviewed_documents_taught_and_the_rules_miss(drafter: Drafter) -> None:
    model = train(training_set(rows_of(drafter, reviewed(6))))
    text = "Jiangsu and Jeollabuk-do sealed a kinship bond in 1994. The weather in Jiangsu was mild that week.\n"
    published = Period.from_edtf("2024-06-19")
    rules = drafter.draft(text, published)
    learned = drafter.with_model(Learned(model=model)).draft(text, published)
    assert not [c for c in rules.proposals if c.kind == FactKind.RELATIONSHIP_ESTABLISHED]
    proposed = [c for c in learned.proposals if c.rule == "model.relationship_established"]
    assert len(proposed) == 1
    assert set(proposed[0].parties) == {"CN-JS", "KR-45"}
    assert proposed[0].period.edtf == "1994"
    assert text[proposed[0].quote.start : proposed[0].quote.end].startswith("Jiangsu and Jeollabuk-do sealed")
    assert learned.model is not None
    assert (learned.model.identity, learned.model.documents, learned.model.proposed) == (model.identity, 6, 1)


def test_training_is_deterministic_and_the_model_reads_back_as_written(drafter: Drafter) -> None:
    documents = reviewed(6)
    first = train(training_set(rows_of(drafter, documents)))
    again = train(training_set(rows_of(drafter, list(reversed(documents)))))
    assert first.to_bytes() == again.to_bytes()
    read = SentenceModel.from_bytes(first.to_bytes())
    assert (read.identity, read.kinds, read.documents, read.sentences) == (
        first.identity,
        first.kinds,
        6,
        first.sentences,
    )
    features = {"w=kinship": 1.0, "w=bond": 1.0, "places=2": 1.0}
    assert read.probabilities(features) == first.probabilities(features)


def test_a_kind_with_too_few_sentences_is_not_learned(drafter: Drafter) -> None:
    model = train(training_set(rows_of(drafter, reviewed(2))))
    assert "relationship_established" not in model.kinds


def write_corpus(folder: Path, count: int, start: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(start, start + count):
        text, quote = kinship_text(index)
        first, second = PLACES[index % len(PLACES)]
        (folder / f"kinship-{index}.txt").write_text(text, encoding="utf-8")
        (folder / f"kinship-{index}.yaml").write_text(
            f"document: kinship-{index}\ntitle: Kinship {index}\npublisher: Test desk\nkind: news\nlanguage: en\n"
            f'published: "2024-06-19"\ntext_file: kinship-{index}.txt\nfacts:\n'
            f"  - kind: relationship_established\n    parties: [{first}, {second}]\n"
            f'    date: "{1990 + index}"\n    attributes: {{level: friendship}}\n'
            f'    quote: "{text[quote.start : quote.end]}"\n',
            encoding="utf-8",
        )


def test_the_store_trains_its_model_once_per_position_and_reads_it_back(
    store_url: str, tmp_path: Path, drafter: Drafter
) -> None:
    write_corpus(tmp_path / "docs", 6)
    assert run("ingest", "--store", store_url, str(tmp_path / "docs")).exit_code == 0
    cache = tmp_path / "cache"
    with open_app(store_url, must_exist=True) as app:
        reviewed_now = app.questions.reviewed_documents()
        first = store_model(app, drafter, cache)
        second = store_model(app, drafter, cache)
    assert [source.document for source in reviewed_now.sources] == [f"kinship-{i}" for i in range(6)]
    assert first.trained
    assert not second.trained
    assert first.learned is not None
    assert second.learned is not None
    assert (first.documents, first.position) == (6, reviewed_now.position)
    assert second.learned.model.identity == first.learned.model.identity
    assert len(list(cache.glob("*.npz"))) == 1
    (tmp_path / "bare" / "bare.txt").parent.mkdir()
    (tmp_path / "bare" / "bare.txt").write_text("Nothing to see.\n", encoding="utf-8")
    (tmp_path / "bare" / "bare.yaml").write_text(
        'document: bare\ntitle: B\npublisher: P\nkind: news\nlanguage: en\npublished: "2024"\ntext_file: bare.txt\n'
        "facts: []\n",
        encoding="utf-8",
    )
    assert run("ingest", "--store", store_url, str(tmp_path / "bare")).exit_code == 0
    with open_app(store_url, must_exist=True) as app:
        moved = store_model(app, drafter, cache)
    assert moved.trained
    assert moved.position > first.position
    assert moved.learned is not None
    assert moved.learned.model.identity == first.learned.model.identity
    write_corpus(tmp_path / "more", 1, start=6)
    assert run("ingest", "--store", store_url, str(tmp_path / "more")).exit_code == 0
    with open_app(store_url, must_exist=True) as app:
        grown = store_model(app, drafter, cache)
    assert (grown.trained, grown.documents) == (True, 7)
    assert grown.position > moved.position
    assert len(list(cache.glob("*.npz"))) == 3


def test_lists_of_ties_teach_nothing(corpus_file: Path) -> None:
    with open_app(f"sqlite:///{corpus_file}", must_exist=True) as app:
        found = app.questions.reviewed_documents()
        sources = app.questions.sources()
    lists = {source.document for source in sources if source.kind == "database"}
    prose = {source.document for source in sources if source.kind != "database"}
    assert lists
    assert {source.document for source in found.sources} == prose


def test_a_retracted_fact_teaches_nothing(sqlite_url: str, tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 2)
    assert run("ingest", "--store", sqlite_url, str(tmp_path / "docs")).exit_code == 0
    with open_app(sqlite_url, must_exist=True) as app:
        before = {source.document: source.facts for source in app.questions.reviewed_documents().sources}
        (fact,) = app.questions.document_facts("kinship-0")
        app.retract_fact(fact, reason=RetractionReason.REFUTED, note="test", decided_by="test", at=AT)
        after = {source.document: source.facts for source in app.questions.reviewed_documents().sources}
    assert len(before["kinship-0"]) == 1
    assert after["kinship-0"] == ()
    assert after["kinship-1"] == before["kinship-1"]


def test_draft_says_which_model_it_used(sqlite_url: str, tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 6)
    assert run("ingest", "--store", sqlite_url, str(tmp_path / "docs")).exit_code == 0
    article = tmp_path / "article.txt"
    article.write_text(
        "Jiangsu and Jeollabuk-do sealed a kinship bond in 1994. The weather was mild.\n", encoding="utf-8"
    )
    trained = run("draft", str(article), "--published", "2024-06-19", "--store", sqlite_url)
    cached = run("draft", str(article), "--published", "2024-06-19", "--store", sqlite_url)
    alone = run("draft", str(article), "--published", "2024-06-19", "--store", sqlite_url, "--rules-only")
    nothing = run("draft", str(article), "--published", "2024-06-19")
    assert trained.exit_code == cached.exit_code == alone.exit_code == nothing.exit_code == 0
    assert "trained on 6 reviewed documents at log position" in trained.stderr
    assert "(trained now in" in trained.stderr
    assert "(read from the cache)" in cached.stderr
    assert "- relationship_established 'Jiangsu and Jeollabuk-do sealed a kinship bond" in trained.stdout
    assert "# Drafting model: learned model" in trained.stdout
    assert "rules only (--rules-only)" in alone.stderr
    assert "relationship_established" not in alone.stdout
    assert "rules only: no store at" in nothing.stderr


def test_the_record_of_the_drafters_last_change_is_current() -> None:
    seen = read_seen()
    assert seen is not None, "drafting/seen_documents.txt is missing: python -m benchmarks.draft --record-change"
    assert seen.code == code_digest(), (
        "the drafting package changed since drafting/seen_documents.txt was written: run "
        "python -m benchmarks.draft --record-change, so that documents coded from now on are scored as unseen"
    )
    assert seen.documents <= {path.stem for path in bundled_documents()} | seen.documents


def test_make_eval_refuses_a_folder_it_cannot_score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert eval_main(["--heldout", str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "a.txt").write_text("Busan and Shanghai met.\n", encoding="utf-8")
    (tmp_path / "own" / "a.yaml").write_text(
        'document: a\ntitle: A\npublisher: P\nkind: news\nlanguage: en\npublished: "2024"\ntext_file: a.txt\n'
        'facts:\n  - {kind: meeting, parties: [Busan, Shanghai], date: "2024", quote: "Busan and Seoul met"}\n',
        encoding="utf-8",
    )
    assert eval_main(["--heldout", str(tmp_path / "own")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "the quote 'Busan and Seoul met' is not in the document's text" in error


@pytest.mark.parametrize(
    ("expression", "published", "edtf"),
    [
        ("December 6th", "2023-12-04", "2023-12-06"),
        ("on the 21st", "2024-11-22", "2024-11-21"),
        ("from December 4th to 7th", "2023-12-04", "2023-12-04/2023-12-07"),
        ("from the 8th to the 12th", "2022-08-07", "2022-08-08/2022-08-12"),
        ("on 26 and 27 June", "2019-07-05", "2019-06-26/2019-06-27"),
        ("from June 2 to 4", "2024-06-07", "2024-06-02/2024-06-04"),
        ("the 30th anniversary", "2022", "1992"),
    ],
)
def test_relative_forms_news_prints(expression: str, published: str, edtf: str) -> None:
    assert resolve_relative(expression, Period.from_edtf(published)).period.edtf == edtf


def test_a_relative_form_news_prints_in_a_document_file(sqlite_url: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Busan and Shanghai signed an agreement on the 21st.\n", encoding="utf-8")
    (tmp_path / "a.yaml").write_text(
        'document: a\ntitle: A\npublisher: P\nkind: news\nlanguage: en\npublished: "2024-11-22"\ntext_file: a.txt\n'
        'facts:\n  - kind: agreement_signed\n    parties: [Busan, Shanghai]\n    relative: "on the 21st"\n'
        '    quote: "signed an agreement on the 21st"\n',
        encoding="utf-8",
    )
    result = run("ingest", "--check", "--store", sqlite_url, str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "2024-11-21" in result.stdout


def drafted(drafter: Drafter, text: str, published: str) -> Draft:
    return drafter.draft(text, Period.from_edtf(published))


def test_news_dates_in_the_drafter(drafter: Drafter) -> None:
    text = "From December 4th to 7th, Lee is visiting. On December 5th, a briefing. It was signed on the 21st."
    found = {
        d.text: d.period.edtf for d in find_dates(text, Span(start=0, end=len(text)), Period.from_edtf("2023-12-22"))
    }
    assert found == {
        "From December 4th to 7th": "2023-12-04/2023-12-07",
        "On December 5th": "2023-12-05",
        "on the 21st": "2023-12-21",
    }
    assert not find_dates("the 2nd floor of City Hall", Span(start=0, end=26), Period.from_edtf("2022-08-07"))


def test_two_days_respectively_are_two_candidates(drafter: Drafter) -> None:
    draft = drafted(
        drafter,
        "Party Secretary Lou and Governor Wu of Jiangsu met with the Jeollabuk-do delegation on 26 and 27 June, "
        "respectively.",
        "2019-07-05",
    )
    meetings = sorted(c.period.edtf for c in draft.candidates if c.kind == FactKind.MEETING)
    assert meetings == ["2019-06-26", "2019-06-27"]


def test_a_date_anchored_on_the_day_the_text_gave(drafter: Drafter) -> None:
    draft = drafted(
        drafter,
        "Gyeonggi Governor Kim met Liaoning Party Secretary Hao on April 24. The next day, Gyeonggi and Liaoning "
        "signed an agreement on trade.",
        "2024-04-30",
    )
    signed = [c for c in draft.candidates if c.kind == FactKind.AGREEMENT_SIGNED]
    assert [c.period.edtf for c in signed] == ["2024-04-25"]
    assert "counted from 'on April 24'" in signed[0].date_note


def test_glued_sentences_split_and_dotted_abbreviations_name_no_party(drafter: Drafter) -> None:
    text = "Busan Mayor Park met the U.S. ambassador on June 3.He said Busan and Shanghai became sister cities in 1993."
    draft = drafted(drafter, text, "2024-06-05")
    assert [text[s.span.start : s.span.end] for s in draft.sentences] == [
        "Busan Mayor Park met the U.S. ambassador on June 3.",
        "He said Busan and Shanghai became sister cities in 1993.",
    ]
    assert not any("US" in c.parties for c in draft.proposals)
    ties = [c for c in draft.candidates if c.kind == FactKind.RELATIONSHIP_ESTABLISHED]
    assert [(set(c.parties), c.period.edtf) for c in ties] == [({"KR-26", "CN-SH"}, "1993")]


def test_the_headline_pair_for_a_sentence_that_names_one_party(drafter: Drafter) -> None:
    text = (
        "Jeju and Hainan renew their ties\n\nPosted 2024-06-15\n\nOn June 14, a Hainan delegation visited the island."
    )
    draft = drafted(drafter, text, "2024-06-15")
    visits = [c for c in draft.candidates if c.kind == FactKind.VISIT]
    assert [set(c.parties) for c in visits] == [{"CN-HI", "KR-49"}]


def test_a_tie_between_two_places_and_its_anniversary_next_year(drafter: Drafter) -> None:
    text = (
        "Next year, to celebrate the 30th anniversary of the sisterhood relationship between Busan and Shanghai, "
        "the two cities will hold a festival in Busan, Gwangju and Shanghai."
    )
    draft = drafted(drafter, text, "2022-11-05")
    ties = [c for c in draft.candidates if c.kind == FactKind.RELATIONSHIP_ESTABLISHED]
    assert [(set(c.parties), c.period.edtf) for c in ties] == [({"KR-26", "CN-SH"}, "1993")]


def test_the_anniversary_of_diplomatic_relations_dates_no_tie_between_places(drafter: Drafter) -> None:
    text = (
        "On August 24, 1993, Busan signed a sisterhood relationship with Shanghai to commemorate the first "
        "anniversary of establishing diplomatic ties between Korea and China."
    )
    draft = drafted(drafter, text, "2022-08-07")
    ties = [c for c in draft.candidates if c.kind == FactKind.RELATIONSHIP_ESTABLISHED and "CN-SH" in c.parties]
    assert [c.period.edtf for c in ties] == ["1993-08-24"]


def test_store_model_needs_reviewed_facts(sqlite_url: str, drafter: Drafter, tmp_path: Path) -> None:
    with open_app(sqlite_url) as app:
        found = store_model(app, drafter, tmp_path / "cache")
    assert found.learned is None
    assert found.documents == 0
    assert found.reason == "the store holds no reviewed document with facts"
