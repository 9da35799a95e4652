"""An invented provincial letter to write tests around: its header and foot are fixed, the test
gives the number and what stands between them (subject, 'Kính gửi', body)."""

from __future__ import annotations

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\n" + MOTTO
        + "Số: {number}\nLai Châu, ngày 10 tháng 6 năm 2026\n")
FOOT = "\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nGiàng A Tính\n"


def provincial_letter(number: str, middle: str) -> str:
    return HEAD.format(number=number) + middle + FOOT
