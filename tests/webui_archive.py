"""The archive the web tests run on: the corpus plus three letters written for these tests.

- `QD_874`: Quyết định 874/QĐ-BTTTT, which the Đồng Tháp seed cites, so its citation is archived
  and the browser test can follow it.
- `HOSTILE`: a letter whose subject, recipients, body and signer carry HTML/script; it cites
  874/QĐ-BTTTT, so it shows on that letter's page ("cited by") and graph.
- `UNICODE_NAME`: a letter stored under a Vietnamese file name (Content-Disposition quoting).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from index import rebuild_index
from ingest import Archive, ingest_paths, open_catalog

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'

QD_874 = """BỘ THÔNG TIN VÀ TRUYỀN THÔNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 874/QĐ-BTTTT
Hà Nội, ngày 17 tháng 6 năm 2021

QUYẾT ĐỊNH
Ban hành Bộ Quy tắc ứng xử trên mạng xã hội

BỘ TRƯỞNG BỘ THÔNG TIN VÀ TRUYỀN THÔNG

Căn cứ Nghị định số 17/2017/NĐ-CP ngày 17 tháng 02 năm 2017 của Chính phủ quy định chức năng,
nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Thông tin và Truyền thông;
Theo đề nghị của Cục trưởng Cục Phát thanh, truyền hình và thông tin điện tử,

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Bộ Quy tắc ứng xử trên mạng xã hội.
Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.
Điều 3. Chánh Văn phòng, Cục trưởng Cục Phát thanh, truyền hình và thông tin điện tử và Thủ
trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:
- Như Điều 3;
- Lưu: VT, PTTH&TTĐT.

BỘ TRƯỞNG

Nguyễn Mạnh Hùng
"""

HOSTILE = f"""ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 15/STTTT-TTBCXB
Lâm Đồng, ngày 10 tháng 3 năm 2025

V/v kiểm tra mã độc {SCRIPT} trên trang {IMG} giả mạo

Kính gửi: Phòng Văn hóa {IMG} {SCRIPT} các huyện

Thực hiện Quyết định số 874/QĐ-BTTTT ngày 17/6/2021 của Bộ Thông tin và Truyền thông ban hành
Bộ Quy tắc ứng xử trên mạng xã hội, Sở Thông tin và Truyền thông đề nghị:

1. Phòng Văn hóa {SCRIPT} các huyện rà soát các trang {IMG} có mã độc giả mạo cơ quan nhà nước.
2. Phòng Văn hóa {SCRIPT} các huyện báo cáo kết quả về Sở trước ngày 30/3/2025.

Nơi nhận:
- Như trên;
- Lưu: VT.

GIÁM ĐỐC

Trần {SCRIPT} Văn Bình
"""

UNICODE_NAME = "Công văn số 7 \"khẩn\".txt"
UNICODE_TEXT = """ỦY BAN NHÂN DÂN HUYỆN ĐỨC TRỌNG
Số: 7/UBND-VP
Đức Trọng, ngày 02 tháng 4 năm 2025
V/v lịch tiếp công dân tháng 4

Kính gửi: Các phòng, ban chuyên môn huyện.

Ủy ban nhân dân huyện thông báo lịch tiếp công dân định kỳ tháng 4 năm 2025.
"""


def sha_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def build_web_archive(root: Path, engine: str | None = None) -> dict[str, object]:
    """Ingest corpus/ and the test letters into `root`/archive and index them (with `engine`,
    else the configured one)."""
    letters = root / "letters"
    letters.mkdir(parents=True)
    written = {
        "qd874": (letters / "qd-874.txt", QD_874),
        "hostile": (letters / "hostile.txt", HOSTILE),
        "unicode": (letters / UNICODE_NAME, UNICODE_TEXT),
    }
    for path, text in written.values():
        path.write_text(text, encoding="utf-8")
    seeds = sorted(CORPUS.glob("0*.txt"))
    archive = Archive(root / "archive")
    report = ingest_paths([*seeds, *(p for p, _ in written.values())], archive, jobs=1)
    assert report.summary()["failed"] == 0, report.as_json()
    with open_catalog(archive.catalog_path) as catalog:
        rebuild_index(catalog, archive.index_dir, engine=engine)
    ids = {name: sha_id(path.read_bytes()) for name, (path, _) in written.items()}
    ids.update({seed.name[:3]: sha_id(seed.read_bytes()) for seed in seeds})
    return {"archive": archive, "ids": ids, "engine": engine}
