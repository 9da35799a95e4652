"""Admin pages: the accounts ("Quản lý người dùng": role, enabled, password) and the audit log
("Nhật ký hoạt động": paged, filtered, exported as CSV). Every change is audited."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

from ingest.printable import csv_cell
from ingest.store.catalog import CatalogStore

from .auth import audit, current_user, role_required
from .params import int_arg, text_arg
from .passwords import PASSWORD_MIN, hash_password
from .resources import get_catalog
from .roles import ROLE_LABELS, ROLES

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")

AUDIT_PAGE = 50
AUDIT_CSV_COLUMNS = ("id", "at", "actor", "action", "target", "address", "detail")

# The actions of the audit log, in Vietnamese; an action without a label shows as written.
ACTION_LABELS = {
    "login": "Đăng nhập",
    "login_failed": "Đăng nhập thất bại",
    "logout": "Đăng xuất",
    "upload": "Tải lên",
    "ingest": "Nạp văn bản (dòng lệnh)",
    "export": "Xuất dữ liệu",
    "user_add": "Tạo tài khoản",
    "user_role": "Đổi vai trò",
    "user_disable": "Khoá tài khoản",
    "user_enable": "Mở khoá tài khoản",
    "user_passwd": "Đặt lại mật khẩu",
    "token_add": "Tạo mã truy cập API",
    "token_revoke": "Thu hồi mã truy cập API",
    "audit_prune": "Xoá nhật ký cũ",
    "correct": "Sửa thông tin văn bản",
    "note": "Thêm ghi chú",
    "review": "Đánh dấu đã kiểm tra",
    "delete": "Xoá văn bản",
    "restore": "Khôi phục văn bản",
    "purge": "Xoá vĩnh viễn",
    "link": "Gộp phiên bản",
    "register": "Vào sổ đăng ký",
    "task": "Cập nhật trạng thái nhiệm vụ",
}


def _account(catalog: CatalogStore, username: str) -> Any:
    account = catalog.get_user(username)
    if account is None:
        abort(404, description="Không có tài khoản này.")
    return account


def _leaves_no_admin(catalog: CatalogStore, username: str) -> bool:
    """Whether taking admin rights from `username` would leave no enabled admin to give them
    back (short of the command line)."""
    return not any(a.role == "admin" and a.enabled and a.username != username
                   for a in catalog.list_users())


def _users_page(error: str | None = None, status: int = 200) -> Any:
    users = get_catalog().list_users()
    return render_template("users.html", users=users, roles=ROLES, role_labels=ROLE_LABELS,
                           error=error, password_min=PASSWORD_MIN), status


@bp.get("/nguoi-dung")
@role_required("admin")
def users() -> Any:
    return _users_page()


@bp.post("/nguoi-dung/<username>/vai-tro")
@role_required("admin")
def set_role(username: str) -> Any:
    catalog = get_catalog()
    account = _account(catalog, username)
    role = request.form.get("role", "")
    if role not in ROLES:
        return _users_page("Vai trò không hợp lệ.", 400)
    if role != "admin" and account.role == "admin" and _leaves_no_admin(catalog, username):
        return _users_page("Phải còn ít nhất một quản trị viên đang hoạt động.", 409)
    if role != account.role:
        catalog.set_role(username, role)
        audit("user_role", target=username, detail={"old": account.role, "new": role})
    return redirect(url_for("admin.users"), code=303)


@bp.post("/nguoi-dung/<username>/trang-thai")
@role_required("admin")
def set_enabled(username: str) -> Any:
    catalog = get_catalog()
    account = _account(catalog, username)
    enabled = request.form.get("enabled") == "1"
    if not enabled and account.role == "admin" and _leaves_no_admin(catalog, username):
        return _users_page("Phải còn ít nhất một quản trị viên đang hoạt động.", 409)
    if enabled != account.enabled:
        catalog.set_enabled(username, enabled)  # disabling ends the account's sessions
        audit("user_enable" if enabled else "user_disable", target=username)
    return redirect(url_for("admin.users"), code=303)


@bp.post("/nguoi-dung/<username>/mat-khau")
@role_required("admin")
def reset_password(username: str) -> Any:
    catalog = get_catalog()
    _account(catalog, username)
    password = request.form.get("password", "")
    if len(password) < PASSWORD_MIN:
        return _users_page(f"Mật khẩu cần ít nhất {PASSWORD_MIN} ký tự.", 400)
    catalog.set_user(username, hash_password(password))
    catalog.delete_user_sessions(username)  # whoever knew the old password is signed out
    audit("user_passwd", target=username)
    if username == current_user():
        return redirect(url_for("auth.login"), code=303)
    return redirect(url_for("admin.users"), code=303)


def _audit_filters() -> dict[str, str]:
    return {"action": text_arg("action", 64), "actor": text_arg("actor", 200)}


@bp.get("/nhat-ky")
@role_required("admin")
def audit_log() -> Any:
    filters = _audit_filters()
    page = int_arg("page", 1, 1, 100_000)
    total, entries = get_catalog().audit_entries(
        action=filters["action"] or None, actor=filters["actor"] or None, limit=AUDIT_PAGE,
        offset=(page - 1) * AUDIT_PAGE)
    pages = max(1, -(-total // AUDIT_PAGE))
    return render_template("audit.html", entries=entries, total=total, page=page, pages=pages,
                           filters=filters, labels=ACTION_LABELS)


@bp.get("/nhat-ky.csv")
@role_required("admin")
def audit_csv() -> Any:
    filters = _audit_filters()
    out = io.StringIO()
    out.write("\ufeff")  # spreadsheets then read the file as UTF-8
    writer = csv.writer(out)
    writer.writerow(AUDIT_CSV_COLUMNS)
    rows = 0
    for entry in get_catalog().iter_audit(action=filters["action"] or None,
                                          actor=filters["actor"] or None):
        writer.writerow([csv_cell(value) for value in (
            entry.id, entry.at, entry.actor, entry.action, entry.target, entry.address,
            _detail_text(entry.detail))])
        rows += 1
    audit("export", detail={"format": "csv", "what": "audit_log", "rows": rows, **filters})
    response = Response(out.getvalue(), content_type="text/csv; charset=utf-8")
    response.headers.set("Content-Disposition", "attachment", filename="nhat-ky-hoat-dong.csv")
    return response


def _detail_text(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False) if detail else ""
