"""Bodies of the long types: Kế hoạch (sections I–IV), Quyết định (Căn cứ, Điều 1./2./3.) and
Báo cáo (results by field), with the annexes that make them run to several pages."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import cache

from bench.generator import vocab
from bench.generator.body import Writer
from bench.generator.doctypes import Composition, distribution, lead_in, recipients, speaker
from bench.generator.references import record, short_date
from bench.generator.signatures import Names

log = logging.getLogger(__name__)

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def _when(w: Writer) -> str:
    """A time frame after the letter's date: 'Tháng 9/2021', 'Quý IV/2021', 'Thường xuyên'."""
    months = w.day.month + w.rng.randint(0, 8)
    year, month = w.day.year + (months - 1) // 12, (months - 1) % 12 + 1
    return w.rng.choice((f"Tháng {month}/{year}", f"Quý {ROMAN[(month - 1) // 3]}/{year}",
                         "Thường xuyên", f"Trước ngày 15/{month}/{year}"))


def task_annex(w: Writer, title: str, budget: int) -> list[str]:
    """'PHỤ LỤC / PHÂN CÔNG NHIỆM VỤ' rows: task | lead body | partner | time, to fill pages."""
    lines = ["PHỤ LỤC", title.upper(), f"(Kèm theo {w.plan.doc_type} số {w.plan.reference} "
             f"ngày {short_date(w.rng, w.day)} của {w.plan.issuer.name})",
             "STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian"]
    pool = w.topic["tasks"] + w.topic["bullets"] + vocab.phrases()["generic_tasks"]
    row = 1
    while sum(map(len, lines)) < budget and row < 200:
        task = w.say(w.rng.choice(pool)).rstrip(".")
        lead, partner = (w.assignees(2) + ["Các cơ quan liên quan"] * 2)[:2]
        lines.append(f"{row} | {task} | {lead} | {partner} | {_when(w)}")
        row += 1
    return lines


def stats_annex(w: Writer, budget: int) -> list[str]:
    """A table of figures by locality, as reports attach."""
    places = vocab.places()
    lines = ["PHỤ LỤC", "SỐ LIỆU CHI TIẾT THEO ĐỊA BÀN",
             "STT | Địa bàn | Kế hoạch | Thực hiện | Tỷ lệ (%)"]
    row = 1
    while sum(map(len, lines)) < budget and row < 300:
        name = f"{w.rng.choice(places['commune_first'])} {w.rng.choice(places['commune_second'])}"
        target = w.rng.randint(50, 5000)
        done = w.rng.randint(target // 2, target)
        share = f"{100 * done / target:.1f}".replace(".", ",")
        lines.append(f"{row} | {name} | {target} | {done} | {share}")
        row += 1
    return lines


def compose_ke_hoach(w: Writer, budget: int) -> Composition:
    phrases = vocab.phrases()
    subject = _lower_first(w.plan.subject)
    body = [lead_in(w, f"ban hành Kế hoạch {subject} như sau")[:-1] + ":",
            "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích"]
    body += [f"- {s}" for s in w.take(phrases["plan_purposes"], 2)]
    body += ["2. Yêu cầu"] + [f"- {s}" for s in w.take(phrases["plan_requirements"], 2)]
    body.append("II. NHIỆM VỤ, GIẢI PHÁP")
    for number, task in enumerate(w.take(w.topic["tasks"], w.rng.randint(2, 4)), 1):
        body.append(f"{number}. {task}.")
        body += [f"- {b}" for b in w.take(w.topic["bullets"], w.rng.randint(0, 2))]
    body.append("III. TỔ CHỨC THỰC HIỆN")
    body += w.task_list(min(budget - sum(map(len, body)), 2500))
    if w.rng.random() < 0.6:
        body += ["IV. KINH PHÍ THỰC HIỆN", f"Kinh phí thực hiện Kế hoạch được bố trí từ nguồn "
                 f"ngân sách nhà nước năm {w.day.year} theo phân cấp và các nguồn hợp pháp khác."]
    body.append(f"Trên đây là Kế hoạch {subject} của {w.plan.issuer.short}; yêu cầu các cơ quan, "
                "đơn vị nghiêm túc triển khai thực hiện./.")
    annex = task_annex(w, "Phân công nhiệm vụ", budget - sum(map(len, body)))
    return Composition([], [], body, distribution(w, None), annex if len(annex) > 4 else [])


@cache
def _department_abbreviations() -> dict[str, str]:
    bodies = vocab.bodies()
    return {name: abbr for name, abbr, _units, _topics in
            bodies["departments_pre"] + bodies["departments_post"]}


def _grounds(w: Writer) -> list[str]:
    """'Căn cứ …;' lines and the proposal ('Theo đề nghị của … tại Tờ trình số …')."""
    issuer = w.plan.issuer
    lines = ["Căn cứ Điều lệ Đảng Cộng sản Việt Nam;"] if issuer.party else []
    lines += [f"Căn cứ {m};" for m in w.cite_all()]
    proposers = [a for a in w.assignees(3) if a in _department_abbreviations()]
    if issuer.kind == "province" and proposers:
        proposer = proposers[0]
        when = w.day - timedelta(days=w.rng.randint(2, 20))
        reference = f"{w.rng.randint(10, 999)}/TTr-{_department_abbreviations()[proposer]}"
        lines.append(f"Theo đề nghị của Giám đốc {proposer} tại Tờ trình số {reference} "
                     f"ngày {short_date(w.rng, when)}.")
        w.cited.append(record("Tờ trình", reference, when, f"Giám đốc {proposer}"))
    return lines


def _members(w: Writer) -> list[str]:
    people, issuer = Names(w.rng), w.plan.issuer
    team = "Tổ" in w.plan.subject
    bodies = [a for a in w.assignees(8) if not a.startswith("Các ") and " các " not in a]
    head = f"Phó Chủ tịch {issuer.short}" if issuer.level != "central" else "Thứ trưởng"
    if issuer.party:
        head = f"Phó Bí thư {issuer.short.removeprefix('Ban Thường vụ ')}"
    roles = [(head, "Tổ trưởng" if team else "Trưởng ban")]
    roles += [(f"{'Giám đốc' if a.startswith('Sở') else 'Lãnh đạo'} {a}",
               "Tổ phó" if team else "Phó Trưởng ban") for a in bodies[:1]]
    roles += [(f"Lãnh đạo {a}", "Thành viên") for a in bodies[1:w.rng.randint(3, 7)]]
    lines = []
    for number, (role, duty) in enumerate(roles, 1):
        name, title = people.person_and_title()
        lines.append(f"{number}. {title} {name}, {role} - {duty};")
    return lines


def _document(subject: str) -> str:
    """The document a decision issues or approves: 'ban hành Kế hoạch X' → 'Kế hoạch X'."""
    return subject.removeprefix("ban hành ").removeprefix("phê duyệt ")


def compose_quyet_dinh(w: Writer, budget: int) -> Composition:
    issuer = w.plan.issuer
    actor = issuer.name if issuer.kind == "province" and w.rng.random() < 0.5 else speaker(w)
    preamble = [actor.upper(), *_grounds(w), "QUYẾT ĐỊNH:"]
    subject = w.plan.subject
    if subject.startswith(("thành lập", "kiện toàn")):
        body = [f"Điều 1. {subject[0].upper()}{subject[1:]}, gồm các thành viên sau:"]
        body += _members(w)
        body.append("Điều 2. Nhiệm vụ:")
        body += [f"- {t}." for t in w.take(w.topic["tasks"], w.rng.randint(2, 4))]
    elif subject.startswith("phê duyệt"):
        body = [f"Điều 1. Phê duyệt {_document(subject)} (kèm theo Quyết định này)."]
        body.append("Điều 2. " + w.say(w.rng.choice(vocab.phrases()["generic_tasks"])) + ".")
    else:
        body = [f"Điều 1. Ban hành kèm theo Quyết định này {_document(subject)}."]
        body.append("Điều 2. " + w.say(w.rng.choice(vocab.phrases()["generic_tasks"])) + ".")
    body.append("Điều 3. Quyết định này có hiệu lực kể từ ngày ký.")
    office = issuer.short.removeprefix("Ban Thường vụ ")
    body.append(f"Điều 4. Chánh Văn phòng {office}, Thủ trưởng các cơ quan, đơn vị và các "
                "cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.")
    executors = [f"Chánh Văn phòng {office}", "Thủ trưởng các cơ quan, đơn vị",
                 "các cá nhân có liên quan"]
    for line in body:
        if line.startswith("Điều "):
            label, text = line.split(". ", 1)
            w.tasks.append({"label": label, "assignees": executors if label == "Điều 4" else [],
                            "text": text, "deadline": None})
    remaining = budget - sum(map(len, preamble + body))
    title = _document(subject) if subject.startswith(("ban hành", "phê duyệt")) else (
        "Phân công nhiệm vụ")
    annex = task_annex(w, title, remaining) if remaining > 600 else []
    return Composition([], preamble, body, distribution(w, "Như Điều 4"), annex)


def _extra_topics(w: Writer, count: int) -> list[dict]:
    everything = vocab.topics()
    keys = [k for k in (w.plan.issuer.topics or everything) if k != w.plan.topic]
    return [everything[k] for k in w.rng.sample(keys, min(count, len(keys)))]


def compose_bao_cao(w: Writer, budget: int) -> Composition:
    to = recipients(w, 1, 1) if w.rng.random() < 0.4 else []
    body = [lead_in(w, "báo cáo như sau")]
    body += ["I. TÌNH HÌNH CHUNG", " ".join(w.take(w.topic["context"], 2))]
    body.append("II. KẾT QUẢ THỰC HIỆN")
    sections = [w.topic, *_extra_topics(w, max(0, w.plan.pages - 2) * 2)]
    for number, topic in enumerate(sections, 1):
        if sum(map(len, body)) > budget * 0.8:
            break
        area = topic["area"][0]
        body.append(f"{number}. Công tác {area}")
        body += [f"- {s}" for s in w.take(topic["results"], w.rng.randint(2, 4))]
        body += w.take(topic["context"], 1)
    body += ["III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"]
    body += [f"- {s}" for s in w.take(vocab.phrases()["difficulties"], w.rng.randint(2, 3))]
    body += ["IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", *w.task_list(600)]
    body += ["V. ĐỀ XUẤT, KIẾN NGHỊ", *w.take(vocab.phrases()["proposals"], 2)]
    body.append(f"Trên đây là báo cáo {_lower_first(w.plan.subject)} của {w.plan.issuer.short}./.")
    remaining = budget - sum(map(len, body))
    annex = stats_annex(w, remaining) if remaining > 500 else []
    return Composition(to, [], body, distribution(w, None), annex)
