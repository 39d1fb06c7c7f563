"""Every statement of a quantity in the narrative (自评报告, 决算说明 第三部分), with what it is and where.

Why this module exists: the narrative restates the accounts in prose ("支出合计2257.39万元，其中：基本支出
673.91万元，占29.85%"), recomputes its own ratios ("完成年初预算的2.75%") and repeats figures in several
places.  The checks need each printed figure as a Field with its key (``docs/fields-extended.md``), the exact
box of the printed number, and how it relates to its neighbours: which total a share is of, which budget a
completion rate divides by, which parts an "其中：" list splits a whole into.

How: the stream is cut into paragraphs (``core.documents.paragraphs``), headings are tracked as a section
path, paragraphs are cut into sentences, and every number ``core.numbers.find_amounts`` finds is given the key
of the nearest label before it in its clause.  Label words are data (``resources/narrative_labels.json``):
*direct* labels name a key (基本支出 → report.basic); *topics* (“三公”经费, 公务接待费, a project named in
quotes, the 决算说明 item "…（项）") combine with a *measure* word (年初预算 / 预算 / 决算 / 结余结转) to give
the key.  Relations ("完成…的r%", "占a%", "增加Δ，增长p%", "其中：" lists, "从a提高到b") are grammar and
live here.

What it must not do: judge.  A wrong ratio is extracted as printed; the checks (``core.checks.narrative``)
recompute.  It never raises on odd text: a figure it cannot name becomes ``report.metric`` with its noun
phrase as subject, a % it cannot tie to figures ``report.stated_ratio`` with relation "other".

Extensions to ``docs/fields-extended.md`` emitted here (listed for the lead to add there): keys
``report.fiscal_expense``, ``report.fiscal_income``, ``report.grand_total``, ``report.fiscal_grand_total``,
``report.annual_budget``, ``report.budget_added``, ``report.gov_fund``, ``report.meeting_fee``,
``report.training_fee``, ``report.vehicles``, ``report.item.added``, ``report.item.carryover``,
``report.project.added``, ``report.heading``, ``report.placeholder``, ``report.year``; attributes ``ref``
(id of the statement within the case), ``ref_part`` / ``ref_whole`` / ``ref_numerator`` /
``ref_denominator`` / ``ref_delta`` / ``ref_base`` (operands of a stated ratio or list), ``whole_name``,
``list_kind`` ("split" / "items"), ``list_word``, ``approx``, ``bound``, ``object``, ``point`` ("from" /
"to"), ``topic``, ``measure``, ``direction``, ``code`` (类 code of ``report.class.amount``), heading
attributes ``family`` / ``style`` / ``number`` / ``depth`` / ``seq`` / ``title`` / ``body`` / ``body_len``.

Layout of this package (a newcomer's map):

- ``lexicon.py``   — the label data (resources/narrative_labels.json) and label comparison;
- ``grammar.py``   — patterns and the records a sentence is parsed into;
- ``extractor.py`` — the driver: paragraphs, sentences, numbers;
- ``naming.py``    — what a figure is (labels, 科目 lines, projects, narrowing words);
- ``relations.py`` — lists, shares, rates, changes, 各 constructions;
- ``frames.py``    — the frame of every figure and the Field it becomes;
- ``structure.py`` — headings, titles, template text, grades, text slips.
"""

from core.extraction.narrative.extractor import extract_narrative
from core.extraction.narrative.grammar import FORMS
from core.extraction.narrative.lexicon import canonical_subject, lexicon

__all__ = ["extract_narrative", "canonical_subject", "lexicon", "FORMS"]
