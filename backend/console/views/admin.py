"""Admin pages: operators (create with the token shown once, revoke, set a password sign-in with TOTP), signing-key
rotation, the audit log with its verification and checkpoints, and the overview."""

from __future__ import annotations

from flask import request, url_for
from sqlalchemy import select

from backend.console import logins, overview
from backend.console.views import console
from backend.console.views.forms import attempt, field, labels_of, parse
from backend.console.views.guard import console_page, current, listing, render
from backend.keys import rotate
from backend.operators import services as operators
from backend.operators.schemas import NewOperatorSchema
from backend.platform.access import OPERATOR_ROLES, ROLE_ZH, OperatorRole
from backend.platform.audit import AuditEntry
from backend.platform.audit_checkpoints import AuditCheckpoint, verify_log
from backend.platform.db import db, paginate

ADMIN = (OperatorRole.ADMIN,)
OPERATOR_COLUMNS = [("id", "编号"), ("name", "名称"), ("role_zh", "角色"), ("department", "部门"),
                    ("market_id", "市场编号"), ("partner_id", "合作单位编号"), ("username", "用户名"),
                    ("created_at", "创建时间"), ("revoked_at", "停用时间")]
OPERATOR_FIELDS = [field("name", "名称", required=True),
                   field("role", "角色", "select", required=True,
                         options=[(r.value, ROLE_ZH[r]) for r in OPERATOR_ROLES]),
                   field("department", "部门或服务大厅", help="部门、政务服务窗口必填"),
                   field("market_slug", "市场标识", help="市场管理方必填，例如 magong"),
                   field("partner_name", "合作单位名称", help="合作单位必填")]
AUDIT_COLUMNS = [("seq", "序号"), ("at", "时间"), ("actor", "操作者"), ("action", "动作"),
                 ("target_type", "对象类型"), ("target_id", "对象"), ("purpose", "目的"), ("details", "详情")]


@console.route("/operators", methods=["GET", "POST"])
@console_page(*ADMIN)
def operators_page():
    """Operators (as GET /operators) and creating one (as POST /operators: its token shown this once)."""
    errors, once, values = {}, None, {}
    if request.method == "POST":
        values = request.form
        body, errors = parse(NewOperatorSchema())
        if body is not None:
            created, errors = attempt(lambda: operators.create_operator(actor=current().actor, **body))
            if not errors:
                op, token = created
                once, values = {"label": f"操作员“{op.name}”的凭证", "value": token,
                                "extra": "交给本人；之后可为其设置用户名、密码和动态口令。"}, {}
    page = operators.list_operators(1, 10_000)
    rows = []
    for op in page.items:
        login = logins.login_of(op)
        row = {"id": op.id, "name": op.name, "role_zh": ROLE_ZH[op.role], "department": op.department,
               "market_id": op.market_id, "partner_id": op.partner_id, "username": login.username if login else "",
               "created_at": op.created_at, "revoked_at": op.revoked_at,
               "_links": {"id": url_for("console.operator_login", operator_id=op.id)}}
        if op.revoked_at is None and op.id != current().id:
            row["_actions"] = [("停用", url_for("console.revoke_operator", operator_id=op.id), None, "danger")]
        rows.append(row)
    return listing("操作员", "operators.csv", OPERATOR_COLUMNS, rows, total=page.total, once=once, errors=errors,
                   labels=labels_of(OPERATOR_FIELDS), new_title="新建操作员", new_fields=OPERATOR_FIELDS,
                   new_action=url_for("console.operators_page"), new_submit="创建", new_values=values,
                   intro="点编号为操作员设置用户名、密码和动态口令。")


@console.post("/operators/<int:operator_id>/revoke")
@console_page(*ADMIN)
def revoke_operator(operator_id: int):
    op = operators.revoke_operator(operator_id, actor=current().actor)
    return render("console/table.html", title="操作员", columns=[], rows=[],
                  notice=f"已停用操作员“{op.name}”：凭证和所有登录立即失效。")


LOGIN_FIELDS = [field("username", "用户名", required=True, help="3 到 64 位字母、数字或 _ . -"),
                field("password", "密码", "password", required=True, help="至少 12 个字符")]


@console.route("/operators/<int:operator_id>/login", methods=["GET", "POST"])
@console_page(*ADMIN)
def operator_login(operator_id: int):
    """Set an operator's username and password; the TOTP secret is shown once, to set up an authenticator app."""
    errors, once = {}, None
    if request.method == "POST":
        done, errors = attempt(lambda: logins.set_login(operator_id, request.form.get("username", ""),
                                                        request.form.get("password", ""), actor=current().actor))
        if not errors:
            once = {"label": f"“{done['username']}”的动态口令密钥", "value": done["totp_secret"],
                    "extra": f"在身份验证器应用中手动添加（基于时间、6 位、30 秒），或使用链接：{done['totp_uri']}"}
    return render("console/form_page.html", 422 if errors else 200, title=f"操作员 {operator_id} 的密码登录",
                  fields=LOGIN_FIELDS, values={}, errors=errors, labels=labels_of(LOGIN_FIELDS), once=once,
                  action=request.path, submit="设置", intro="设置后旧密码和旧动态口令密钥立即失效。")


@console.route("/signing-keys", methods=["GET", "POST"])
@console_page(*ADMIN)
def signing_keys():
    """Rotation (as POST /signing-keys/rotate): the new key signs at once, the old one stays published."""
    notice = None
    if request.method == "POST":
        key = rotate(actor=current().actor)
        notice = f"已启用新的签名密钥 {key.kid}；旧密钥在其签发的二维码过期前继续公布。"
    return render("console/form_page.html", title="签名密钥", fields=[], values={}, errors={}, notice=notice,
                  action=request.path, submit="轮换签名密钥",
                  intro="轮换后新签发的个人信用码使用新密钥；已签发的在过期前仍可核验。")


@console.get("/audit-log")
@console_page(*ADMIN)
def audit_log():
    """The newest audit entries (filter by actor or action), the chain verified on request, the checkpoints."""
    query = select(AuditEntry).order_by(AuditEntry.seq.desc())
    if request.args.get("actor"):
        query = query.where(AuditEntry.actor == request.args["actor"])
    if request.args.get("action"):
        query = query.where(AuditEntry.action == request.args["action"])
    page = paginate(query, 1, 10_000 if request.args.get("format") == "csv" else 200)
    rows = [{"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action, "target_type": e.target_type,
             "target_id": e.target_id, "purpose": e.purpose, "details": e.details} for e in page.items]
    report = verify_log() if request.args.get("verify") == "1" else None
    checkpoints = list(db.session.execute(select(AuditCheckpoint).order_by(AuditCheckpoint.seq.desc()).limit(20))
                       .scalars())
    intro = None
    if report is not None:
        intro = (f"校验通过：{report.checked} 条记录的哈希链完整，{report.checkpoints} 个签名检查点有效"
                 f"（最新签名覆盖到第 {report.signed_seq} 条）。" if report.ok else
                 f"校验失败：第 {report.seq} 条附近有问题（{report.problem}）。")
    cp = "；".join(f"第 {c.seq} 条（{c.signed_at:%Y-%m-%d %H:%M} UTC，密钥 {c.kid}）" for c in checkpoints)
    return listing("审计日志", "audit-log.csv", AUDIT_COLUMNS, rows, total=page.total, notice=intro,
                   filters=[{"name": "actor", "label": "操作者"}, {"name": "action", "label": "动作"},
                            {"name": "verify", "label": "校验哈希链", "type": "select",
                             "options": [("", "否"), ("1", "是")]}],
                   intro=f"签名检查点：{cp or '暂无'}")


@console.get("/overview")
@console_page(*ADMIN)
def overview_page():
    rows = [{"label": label, "value": value} for label, value in overview.figures()]
    return listing("概览", "overview.csv", [("label", "项目"), ("value", "数量")], rows,
                   intro="请求量、延迟和错误率见 Prometheus（/metrics）。")
