"""The words people read and hear: one source for each (glossary: docs/architecture.md).

Everything a citizen or a clerk reads on a screen, a display, a printout or an export, or
hears from the speaker, about tickets, window actions, ratings, calls and service items'
guides and notices, comes from here.
Short, plain Chinese; the keys are the bus contract's names.
"""
from __future__ import annotations

import math

# A ticket's status (hall/protocol/schemas: ticket.status) as people read it.
TICKET_STATUS = {"waiting": "等候中", "called": "已叫号", "serving": "办理中", "done": "已办结",
                 "no_show": "过号", "transferred": "已转移", "cancelled": "已取消"}

# What each window action (request window.<action>) is called on keys, buttons and logs.
WINDOW_ACTION = {"login": "登录", "logout": "退出", "call_next": "叫号", "recall": "重呼",
                 "skip": "过号", "start": "开始办理", "finish": "办结", "transfer": "转移",
                 "pause": "暂停服务", "resume": "恢复服务"}

# What a ticket action (request ticket.<action>) is called where staff or citizens ask for it.
TICKET_ACTION = {"issue": "取号", "lookup": "查询", "requeue": "过号重排", "face_verify": "人工核验通过"}

# 人证核验 of a ticket's holder (the ticket's face_check result): on the staff caller and in
# exports. A kiosk check that fails ends with FACE_FALLBACK, on its screen and its ticket.
FACE_RESULT = {"pass": "刷脸通过", "fail": "刷脸未通过", "staff": "人工核验通过",
               "not_done": "未核验"}
FACE_FALLBACK = "请到窗口由工作人员核验"

# What a window action did, as the caller's message line says it (the console's 叫号 page).
WINDOW_ACTION_DONE = {**{a: "已" + WINDOW_ACTION[a] for a in (
    "call_next", "recall", "skip", "finish", "transfer", "pause", "resume")},
    "start": WINDOW_ACTION["start"], "finish_not_done": "已记为未办结", "requeue": "已重新排队",
    "face_verify": "已记录" + TICKET_ACTION["face_verify"]}

# A window's state (bus: window/<id>/state) as the console's badges name it.
WINDOW_STATE = {"closed": "未开放", "idle": "空闲", "calling": "已叫号", "serving": "办理中",
                "paused": "暂停服务"}

# Rating levels of the evaluator pad and the kiosk, best first.
RATING_LEVEL = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}

# What a staff account may do in the console (queue_server.staff.STAFF_ROLES), as people read it.
STAFF_ROLE = {"window": "窗口工作人员", "manager": "大厅管理员", "admin": "系统管理员"}

# What a manager did to a catalogue item (事项管理; the audit log adds 事项).
CATALOG_CHANGE = {"add": "新增", "edit": "修改", "retire": "停用"}

# Applications (办件, queue_server/applications): a state and an action as people read them
# (the window, the phone page, the kiosk, text messages and the audit log), a material's
# status at the window, and how the deadline stands (model.deadline_status).
APPLICATION_STATE = {"submitted": "已提交", "accepted": "已受理", "correction": "待补正",
                     "resubmitted": "已补正", "approved": "已办结（准予）", "refused": "不予办理",
                     "ready": "待领取", "collected": "已领取", "posted": "已邮寄"}
APPLICATION_ACTION = {"submit": "提交", "accept": "受理", "correct": "要求补正", "resubmit": "补正",
                      "approve": "准予办结", "refuse": "不予办理", "ready": "出件", "collect": "领取",
                      "post": "邮寄"}
APPLICATION_AUDIT = {**APPLICATION_ACTION, "view": "查阅", "pickup": "取出件号"}
MATERIAL_STATUS = {"received": "已收取", "later": "容缺后补", "promise": "告知承诺", "missing": "未提交"}
DEADLINE_STATUS = {"paused": "补正期间暂停计时", "ok": "按期办理中", "soon": "临近办结期限",
                   "due": "今天到期", "overdue": "已超期", "late": "超期办结"}

APPLICATION_COLLECT_AT = "请凭受理凭证到统一出件窗口领取"
APPLICATION_UNKNOWN = "没有找到这个办件，请核对办件编号和身份证后四位"
APPLICATION_NONE_READY = "您没有待领取的办件"
APPLICATION_FIND_ASK = "请刷身份证，或输入办件编号和身份证后四位"
# The receipt (受理凭证), on A4 (drivers/printer/a4.py) and the ticket printer.
RECEIPT = "受理凭证"
RECEIPT_ROWS = {"number": "办件编号", "item": "办理事项", "applicant": "申请人",
                "accepted_on": "受理日期", "due": "承诺办结", "collect": "领取地点"}
# 办件查询 at the kiosk (kiosk/flows/application.py).
APPLICATION_FOLLOW = "办件查询"
APPLICATION_FOLLOW_DETAIL = "查进度、领结果"
APPLICATION_FIND_LEAD = "请刷身份证；或输入受理凭证上的办件编号（后12位数字）和身份证后四位"
APPLICATION_NUMBER_HINT = "办件编号后12位"
APPLICATION_LAST4_HINT = "身份证后四位"
APPLICATION_PICKUP = "领取出件号"
RECEIPT_PRINT = "打印受理凭证（A4）"
RECEIPT_PRINTING = "正在打印……"
RECEIPT_PRINTED = "已打印，请在A4打印机取件"
RECEIPT_PRINTER_FAULT = "A4打印机出了故障"
APPLICATION_LOOKING_UP = "正在查询，请稍候……"
APPLICATION_LOOKUP_FAILED = "暂时查不到办件，请稍后再试或到咨询台"

# The lines of an application's status (hall/application_text.py): phone page and kiosk.
APPLICATION_LINES = {"number": "办件编号", "item": "办理事项", "state": "办理状态",
                     "submitted_on": "提交日期", "accepted_on": "受理日期", "due": "承诺办结",
                     "deadline": "办理时限", "missing": "请补齐", "owed": "容缺待补",
                     "reason": "不予办理理由", "collect": "领取"}
RECEIPT_QR = "手机扫码查看办理进度"
RECEIPT_NOTE = "请妥善保管本凭证。办结后凭本凭证和身份证领取结果，也可在自助终端“办件查询”查看进度。"


def day_words(iso: str) -> str:
    """2026-10-13 as people write it: 2026年10月13日."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


def collect_place(window_names: list[str]) -> str:
    """Where results are collected: 统一出件窗口（17号窗口）, or the plain sentence."""
    return f"请凭受理凭证到{'、'.join(window_names)}领取" if window_names else APPLICATION_COLLECT_AT


def application_wrong_state(state: str, action: str) -> str:
    """Why an application cannot take a step now: 办件当前为“已受理”，不能受理."""
    return f"办件当前为“{APPLICATION_STATE[state]}”，不能{APPLICATION_ACTION[action]}"


# What the audit log (操作日志) calls each recorded action (queue_server.store audit rows).
AUDIT_ACTION = {**{f"window.{a}": word for a, word in WINDOW_ACTION.items()},
                "window.login": "登录窗口", "window.logout": "退出窗口",
                "ticket.requeue": TICKET_ACTION["requeue"],
                "ticket.face_verify": TICKET_ACTION["face_verify"], "notice.issue": "开具一次性告知书",
                "staff.set_role": "修改角色",
                "console.login": "登录后台", "console.login_failed": "登录失败",
                "console.takeover": "接管窗口", "staff.add": "新增账号",
                "staff.set_password": "重设密码", "staff.set_active": "启用/停用账号",
                "evaluation.rectify": "差评整改", "booking.capacity": "设置预约人数",
                **{f"catalogue.{a}": word + "服务事项" for a, word in CATALOG_CHANGE.items()},
                **{f"application.{a}": f"办件{w}" for a, w in APPLICATION_AUDIT.items()}}

# Service items (hall/catalog/guide.py): the guide (办事指南) and the one-time notice.
GUIDE = "办事指南"
CONDITIONS, MATERIALS, TIME_LIMIT, FEES, PLACE = (
    "申请条件", "申请材料", "办理时限", "收费", "办理地点")
NO_CONDITIONS = "无特别条件"
NO_MATERIALS = "无需提交材料"
CHECKLIST = "申请材料清单"
CHECKLIST_QR = "手机扫码查看办事指南"
TAKE_TICKET = "取号办理"                 # the button on an item's guide
NOTICE = "一次性告知书"
NOTICE_NUMBER = "告知书编号"
NOTICE_TAKE = "凭告知书取号"             # the button on the guide's home
NOTICE_LEAD = "您办理的事项还需补齐以下材料（已一次性告知全部所缺材料）："
NOTICE_RETURN = f"材料补齐后，在自助取号机点“{GUIDE}”→“{NOTICE_TAKE}”，输入告知书编号即可取号"
NOTICE_UNKNOWN = "没有找到这份告知书，请核对编号"

# A catalogue item's fields as the manager's edit form names them (keys: the catalogue
# file's options, hall/config/catalog.py), in the form's order.
CATALOG_FIELD = {"code": "事项编码", "name": "事项名称", "domain": "领域", "category": "取号业务",
                 "windows": "办理窗口", "aliases": "别名", "conditions": "申请条件",
                 "materials": "申请材料", "legal_days": "法定时限", "committed_days": "承诺时限",
                 "fee": "收费", "basis": "设定依据", "delivery": "送达方式",
                 "kiosk": "可在自助终端办理", "face_check": "需刷脸核验", "retired": "已停用",
                 "retention_days": "资料保留天数"}

# A window's LED display when nobody is called there.
DISPLAY_OPEN = "欢迎办理"
DISPLAY_PAUSED = "暂停服务"


def call_sentence(ticket: str, window_name: str) -> str:
    """What the hall says and shows for a call: 请A012号到3号窗口办理."""
    return f"请{ticket}号到{window_name}办理"


def call_display_line(window_name: str) -> str:
    """The second line of a window's LED display under the called number: 请到3号窗口."""
    return f"请到{window_name}"


def call_to_window(window_name: str) -> str:
    """The mobile ticket page once its number is called: 请到 3号窗口 办理."""
    return f"请到 {window_name} 办理"


def status_word(status: str) -> str:
    return TICKET_STATUS.get(status, status)


# A wait as people read it, on the kiosk's tiles and tickets and on the mobile ticket page:
# 无需等待, 约5分钟, 约1小时20分, and a range where the estimate is unsure: 约15-25分钟
# (the server's estimate: docs/queue.md, "Wait estimates").
NO_WAIT = "无需等待"


def wait_text(seconds: float | None) -> str:
    """无需等待, 约5分钟, 约1小时20分."""
    if seconds is None:
        return ""
    minutes = int(round(seconds / 60))
    if minutes < 1:
        return NO_WAIT
    return "约" + _minutes(minutes)


def range_text(low_s: float, high_s: float) -> str:
    """约15-25分钟 (ends on whole 5 minutes, the low end at least 1 minute), 约50分钟-1小时15分."""
    low = max(1, int(low_s // 300) * 5)
    high = max(low + 5, int(math.ceil(high_s / 300)) * 5)
    if high < 60:
        return f"约{low}-{high}分钟"
    return f"约{_minutes(low)}-{_minutes(high)}"


def wait_words(waiting: int | None, seconds: float | None, range_s=None) -> str:
    """The wait of a queue or a ticket: 无需等待 when nobody is ahead (whatever the estimate),
    else at least 约1分钟 (never "2人 无需等待"); the range when the server gives one."""
    if not waiting:
        return NO_WAIT
    if range_s:
        return range_text(*range_s)
    return wait_text(None if seconds is None else max(seconds, 60))


def _minutes(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes}分钟"
    hours, rest = divmod(minutes, 60)
    return f"{hours}小时{rest}分" if rest else f"{hours}小时"


# 好差评 everywhere (queue_server/ratings.py): the rating prompt on the phone page, the kiosk's
# 评价 screen and the text message sent after a service. The levels are RATING_LEVEL above.
RATING_ASK = "请对本次服务进行评价"
RATING_REASONS_ASK = "请选择不满意的原因（可多选）"
RATING_COMMENT = "其他意见（选填）"
RATING_PHONE = "手机号（选填，便于回访）"
RATING_SUBMIT = "提交评价"
RATING_THANKS = "感谢您的评价"
RATING_CHANGE = "修改评价"
RATING_CHANNEL = {"evaluator": "评价器", "kiosk": "自助终端", "mobile": "扫码评价", "sms": "短信评价"}
RATING_KIOSK = "评价服务"                 # the kiosk home button
RATING_KIOSK_CARD = "请刷身份证，评价您今天最后办理的业务"
RATING_KIOSK_LAST = "您今天办理的业务"

# The manager's ratings page (queue_server/web/static/ratings.js): what a rating carries.
RATING_PAGE = {"channel": "评价渠道", "comment": "群众留言", "no_comment": "未留言",
               "named": "实名评价", "anonymous": "匿名评价", "phone": "回访电话",
               "first": "首次评价", "changed": "修改过{n}次，最后修改", "case": "整改工单",
               "no_case": "尚未生成整改工单", "item": "事项", "application": "办件"}


def rating_changeable(minutes: int) -> str:
    """Under a given rating: 评价后10分钟内可以修改."""
    return f"评价后{minutes}分钟内可以修改"


def rating_sms(hall: str, ticket: str, url: str) -> str:
    """The text after a service where the citizen's phone is known."""
    return f"【{hall}】您的{ticket}号业务已办结，欢迎对本次服务进行评价：{url}"


# Capacity planning (`yichuang plan` and the manager's dashboard, docs/planning.md): how many
# windows of each kind an hour needs so that no normal ticket waits longer than a target.
PLAN_HEADINGS = {"hour": "时段", "expected": "预计取号", "total": "合计开窗", "longest": "最长普通等候"}
PLAN_OVER = "全部开放仍超目标"
PLAN_TOMORROW = "明日预计（按小时）"
PLAN_NO_HISTORY = "暂无前几周同一星期几的取号记录，无法预计"
PLAN_CLOSED = "明日不开放"
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def plan_group_name(kind: str, category_names: list[str]) -> str:
    """A kind of window as the manager calls it: 综合窗口（综合业务优先）, 医保业务窗口, 一件事一次办专窗."""
    if kind == "comprehensive":
        return f"综合窗口（{category_names[0]}优先）"
    return "、".join(category_names) + ("专窗" if kind == "dedicated" else "窗口")


def plan_title(target_min: float) -> str:
    return f"普通号最长等候不超过{target_min:g}分钟所需窗口"


def plan_source_history(days: int, weekday: int, first: str, last: str) -> str:
    """Where the expected tickets came from: 依据：近4个星期一的取号（2025-11-03至2025-11-24）."""
    return f"依据：近{days}个{WEEKDAYS[weekday]}的取号（{first}至{last}）"


def plan_source_profile(name: str) -> str:
    return f"依据：取号预计文件 {name}"


# -- self-filing at the kiosk (自助申报; kiosk/flows/filing.py, its screens, the receipt) --------
FILING_FIELDS = {"questions": "自助申报问题", "auto_check": "自动核验规则"}   # catalogue options
FILING_TILE, FILING_TILE_DETAIL = "自助申报", "刷身份证，自己办"
FILING_ITEMS = "请选择要办理的事项"
FILING_NONE = "本机暂无可自助申报的事项，请取号到窗口办理"
FILING_FACE_NEEDED = "需刷脸核验，本机暂不能办理，请取号到窗口"
FILING_CARD = "请将身份证放在感应区"
FILING_CARD_ONLY = "自助申报需要刷身份证，没带身份证请取号到窗口办理"
FILING_FACE_FAILED = "人脸核验没有通过，请取号到窗口办理"
FILING_QUESTION = "第{n}问，共{total}问"
FILING_DIGITS = "请输入{low}位数字"
FILING_DIGITS_RANGE = "请输入{low}到{high}位数字"
FILING_PHONE = "请输入11位手机号码"
FILING_PHONE_WRONG = "手机号码是1开头的11位数字"
FILING_LETTERS = "请输入字母或数字，{low}到{high}位"
FILING_PHOTO = "请把“{name}”平放在高拍仪下，按“拍照”"
FILING_PHOTO_STEP = "材料{n}，共{total}项"
FILING_PHOTO_TAKE, FILING_PHOTO_AGAIN = "拍照", "重拍"
FILING_PHOTO_LATER = "暂缺，受理后补交"
FILING_PHOTO_PROMISE = "签署告知承诺书代替"
FILING_PHOTO_NO_CAMERA = "高拍仪不能使用，请取号到窗口办理"
FILING_NEXT = "下一步"
FILING_SUMMARY = "请核对申报信息"
FILING_APPLICANT = "申请人"
FILING_ID_TAIL = "身份证尾号"
FILING_MATERIAL_STATUS = {"received": "已拍照", "later": "受理后补交", "promise": "告知承诺"}
FILING_SIGN = "请在框内签名"
FILING_SIGN_CLEAR, FILING_SIGN_DONE = "重写", "签好了，提交"
FILING_SIGN_EMPTY = "请先签名"
FILING_SENDING = "正在提交，请稍候"
FILING_ACCEPTED = "已受理"
FILING_SUBMITTED = "已提交，等待窗口审核"
FILING_REFUSED = "自动核验未通过：{reason}"
FILING_NUMBER = "办件编号"
FILING_DUE = "承诺{day}前办结"
FILING_DUE_DAYS = "承诺受理后{days}个工作日内办结"
FILING_DUE_NOW = "即办件，当场办结"
FILING_TAKE_RECEIPT = "请取走受理凭证，扫码查看进度"
FILING_FAILED = "没有提交成功，请到咨询台请工作人员帮助"
FILING_TIMEOUT = "系统没有及时回应，请按“重试”"
FILING_RECEIPT = "受理凭证"
FILING_RECEIPT_QR = "扫码查看办理进度"
FILING_RECEIPT_KEEP = "请妥善保管本凭证"
FILING_ASK_CHOICE, FILING_ASK_TYPE, FILING_PICK_ONE = "请选择{name}", "请输入{name}", "请点选一项"
FILING_OK, FILING_RETRY = "确定", "重试"
FILING_CONFIRM = "确认无误，去签名"
FILING_NOT_FILED = "没有提交成功"
FILING_PRINTING = "受理凭证正在打印……"
FILING_UNPRINTED = "{problem}，未能打印凭证。请记下办件编号"
FILING_ITEM = "事项"
# 自助申报's receipt also on the kiosk's A4 printer (kiosk/screens/filing_result.py).
FILING_A4_PRINTING = "A4受理凭证正在打印……"
FILING_A4_PRINTED = "A4受理凭证已打印，请在A4打印机取件"
FILING_A4_UNPRINTED = "{problem}，A4受理凭证未能打印"


# Sync with the county (docs/sync.md): the line's state as the kiosk and the county's
# dashboard say it, what a synced site's staff are told when the county owns a thing, and
# the audit log's word for a decision that came from the county.
LINE_STATE = {"up": "网络正常", "down": "网络中断", "unknown": "网络状态未知"}
LINE_DOWN_KIOSK = "网络中断，办事指南、自助申报和评价照常使用，申报和评价联网后自动上报"
LINE_NEEDS = "需要联网才能使用，请稍后再试，或到乡镇、县政务服务中心办理"
DECIDED_BY_COUNTY = "审批结果由县政务服务中心作出，本站不能准予或不予办理"
CATALOG_BY_COUNTY = "事项目录由县政务服务中心统一管理，本站不能修改"
AUDIT_ACTION["application.decision"] = "县中心审批结果"
# The 24-hour self-service room (自助服务区) while the windows are closed.
SELF_SERVICE_ONLY = "窗口已下班，自助服务区24小时开放，可自助查询和办理"


# Cases (queue_server/cases): bad ratings and 办不成事 / 有诉即办 complaints, their states,
# steps, deadlines, the 回访 record, the complaint's slip and the figures' columns.
CASE_KIND = {"rating": "差评整改", "complaint": "办不成事"}
CASE_STATE = {"open": "待核实", "verified": "已核实", "rectified": "已整改", "revisited": "已回访",
              "closed": "已办结", "unfounded": "不属实待确认", "dismissed": "不属实已确认"}
CASE_ACTION = {"open": "开单", "file": "登记诉求", "verify": "核实", "rectify": "整改答复",
               "revisit": "回访", "close": "办结", "unfounded": "认定不属实",
               "confirm": "确认不属实", "reopen": "退回重办", "assign": "指派", "note": "记录"}
CASE_DEADLINE = {"ok": "按期办理中", "soon": "临近期限", "due": "今天到期", "overdue": "已超期",
                 "on_time": "按期整改", "late": "超期整改"}
REVISIT_HOW = {"phone": "电话", "sms": "短信", "visit": "上门", "in_person": "当面"}
CASE_CHANNEL = {"window": "窗口", "kiosk": "自助终端", "mobile": "手机", "evaluator": "评价器",
                "sms": "短信"}
COMPLAINT = "办不成事反映"
COMPLAINT_TRIED = "您想办什么事"
COMPLAINT_PROBLEM = "遇到了什么问题"
COMPLAINT_PHONE = "联系电话（选填，便于回复您）"
COMPLAINT_NUMBER = "反映编号"
COMPLAINT_SLIP_LEAD = "您反映的问题已登记，我们将在以下日期前答复您："
COMPLAINT_DUE_LEAD = "我们将在这一天前答复您"
COMPLAINT_SLIP_FOLLOW = "凭编号或扫码查询办理进度"
COMPLAINT_THANKS = "已登记，请保存编号"
COMPLAINT_SLIP = "办不成事反映回执"
COMPLAINT_UNSURE = "不确定是哪类事"
COMPLAINT_ASK_DOMAIN = "您想办哪方面的事？"
COMPLAINT_ASK_PROBLEM = "遇到了什么问题？"
COMPLAINT_ASK_PHONE = "留个手机号，方便答复您（可不填）"
# What a kiosk offers to pick (no typing of Chinese there): the usual reasons a thing could
# not be done, in the words of the 办不成事 reform.
COMPLAINT_PROBLEMS = ("窗口说办不了", "材料要求说不清楚", "跑了多次还没办成", "要去别的地方办",
                      "系统出故障办不了", "等候时间太长", "其他问题")
CASE_FIGURES = {"ratings": "评价数", "served": "服务数", "coverage": "评价覆盖率",
                "satisfied_rate": "满意率", "bad_rate": "差评率", "named_bad": "实名差评",
                "on_time_rate": "按期整改率", "revisit_rate": "回访率", "complaints": "办不成事",
                "overdue": "超期未办", "total": "合计", "group_day": "日期", "group_month": "月份",
                "group_window": "窗口", "group_department": "部门", "group_staff": "工作人员"}
AUDIT_ACTION.update({f"case.{a}": f"工单{w}" for a, w in CASE_ACTION.items()})

# Guessing application numbers + last four (queue_server/guess_limits.py): web and kiosk.
GUESSED_TOO_FAST = "查询过于频繁，请 {minutes} 分钟后再试"

# A rating changed within hall.ratings.change_minutes (queue_server/cases/desk.py): its case
# follows it, withdrawn when a bad rating becomes good before anyone worked on it.
CASE_STATE["withdrawn"] = "已撤销"
CASE_ACTION.update({"withdraw": "撤销", "reinstate": "恢复", "rerate": "随评价修改"})
AUDIT_ACTION.update({f"case.{a}": f"工单{CASE_ACTION[a]}" for a in ("withdraw", "reinstate", "rerate")})
CASE_RERATED = "群众将评价改为“{level}”{reasons}"
CASE_RERATED_WITHDRAWN = "，工单撤销"
CASE_RERATED_KEPT = "，整改已开始，工单保留"

# Evidence photos on a case (整改材料, queue_server/cases/desk.py and the console's case pages).
CASE_ACTION["evidence"] = "上传整改材料"
AUDIT_ACTION.update({"case.evidence": "工单上传整改材料", "case.evidence_view": "查看工单整改材料"})
CASE_EVIDENCE_NOTE = "上传整改材料照片1张"
CASE_EVIDENCE_KIND = "请上传JPG或PNG格式的照片"
CASE_EVIDENCE_FINAL = "工单已办结，不能再上传材料"
CASE_EVIDENCE_MANY = "每个工单至多上传{n}张照片"
CASE_EVIDENCE_WHO = "只有工单负责人和管理人员可以上传和查看整改材料"
CASE_EVIDENCE_ADD = "上传整改照片"
CASE_EVIDENCE = "整改材料"

# Booking at the township or county from a village kiosk (docs/sync.md): a QR code of the
# hall's /book page for the citizen's own phone; the village itself takes no bookings.
BOOK_ELSEWHERE_TILE = ("预约", "到乡镇、县中心办事，先用手机预约")
BOOK_ELSEWHERE_TITLE = "预约到乡镇、县政务服务中心办事"
BOOK_ELSEWHERE_HOW = "请用手机扫描二维码，选好要办的事和时间，按预约时间到中心办理"
