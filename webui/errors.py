"""The one place that maps exceptions to HTTP statuses (JSON under /api/, a page elsewhere)."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ingest.errors import CongvanError, MachineError, UsageError

log = logging.getLogger(__name__)

MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    401: "Cần đăng nhập.",
    403: "Bạn không có quyền truy cập trang này.",
    404: "Không tìm thấy trang hoặc văn bản này.",
    405: "Phương thức không được hỗ trợ.",
    413: "Dữ liệu gửi lên quá lớn.",
    429: "Quá nhiều yêu cầu, vui lòng thử lại sau.",
    500: "Lỗi máy chủ. Vui lòng thử lại sau.",
    503: "Dịch vụ tạm thời không sẵn sàng.",
}


def status_for(error: BaseException) -> tuple[int, str]:
    """HTTP status and a Vietnamese message for the user."""
    if isinstance(error, HTTPException):
        code = error.code or 500
        own = error.description != type(error).description  # we wrote a message ourselves
        return code, (error.description if own and error.description else MESSAGES.get(code, ""))
    if isinstance(error, UsageError):
        return 400, str(error)
    if isinstance(error, MachineError):
        return 503, str(error) or MESSAGES[503]
    if isinstance(error, CongvanError):
        return 500, str(error) or MESSAGES[500]
    return 500, MESSAGES[500]


def handle_error(error: Exception):
    code, message = status_for(error)
    if code >= 500:
        log.error("%s %s failed", request.method, request.path, exc_info=error)
    if request.path.startswith("/api/"):
        response = jsonify({"error": message, "status": code})
        response.status_code = code
    else:
        query = request.args.get("q", "") if request.path == "/" else ""
        response = render_template("error.html", code=code, message=message, query=query), code
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(Exception, handle_error)
