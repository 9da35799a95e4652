"""Why a file was not archived, in Vietnamese for the people reading an upload's page or the
queue's: the reasons of the reading itself (ingest.errors) and of the job queue
(ingest.jobqueue)."""

from __future__ import annotations

# What each failure reason (ingest.errors) means, for the people reading the upload page.
REASONS_VI = {
    "empty-file": "Tệp rỗng, không có nội dung.",
    "unsupported-type": "Không phải loại tệp được hỗ trợ (văn bản, PDF, ảnh, DOCX).",
    "corrupt-file": "Tệp bị hỏng, không đọc được.",
    "corrupt-pdf": "Tệp PDF bị hỏng, không đọc được.",
    "encrypted-pdf": "Tệp PDF có mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.",
    "image-too-large": "Ảnh quá lớn; hãy quét lại ở độ phân giải 300 dpi.",
    "too-many-pages": "Tệp có quá nhiều trang.",
    "undecodable-text": "Không nhận ra bảng mã của tệp văn bản; hãy lưu lại dạng UTF-8.",
    "no-text-found": "Không tìm thấy chữ nào trong tệp, kể cả khi nhận dạng (OCR).",
    "ocr-timeout": "Nhận dạng chữ (OCR) quá lâu; hãy tách tệp thành nhiều phần.",
    "read-timeout": "Đọc tệp quá lâu; tệp có thể bị hỏng hoặc được tạo để gây hại.",
    "file-too-large": "Tệp quá lớn.",
}

# Why a queued file failed, beyond the reading's own.
QUEUE_REASONS_VI = {
    "worker-died": "Máy xử lý dừng đột ngột nhiều lần khi đọc tệp này; tệp không được thử lại.",
    "internal-error": "Lỗi nội bộ khi xử lý tệp này.",
    "missing": "Không còn bản sao của tệp chờ xử lý; hãy tải lên lại.",
}


def reason_vi(reason: str | None) -> str:
    return (REASONS_VI.get(reason or "") or QUEUE_REASONS_VI.get(reason or "")
            or "Không lưu trữ được tệp này.")
