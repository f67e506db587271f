"""Words for user errors, per knowledge language (Traditional Chinese is converted)."""

from bot.domain.language import Lang
from bot.errors import UserError
from bot.language import localise

_MESSAGES: dict[str, dict[Lang, str]] = {
    "unknown_stage": {
        Lang.EN: "Unknown stage “{value}”. 5A stages: aware, appeal, ask, act, advocate; sales stages: "
        "raw_lead, mql, sql, revenue, retention.",
        Lang.ZH_HANS: "无法识别的阶段“{value}”。5A阶段：aware、appeal、ask、act、advocate（了解、吸引、问询、行动、拥护）；"
        "销售阶段：raw_lead、mql、sql、revenue、retention。",
        Lang.KO: "알 수 없는 단계 “{value}”입니다. 5A 단계: aware, appeal, ask, act, advocate(인지·호감·질문·행동·옹호), "
        "영업 단계: raw_lead, mql, sql, revenue, retention.",
    },
    "unknown_channel": {
        Lang.EN: "Unknown channel “{value}”. Channels: {allowed}.",
        Lang.ZH_HANS: "无法识别的渠道“{value}”。可用渠道：{allowed}。",
        Lang.KO: "알 수 없는 채널 “{value}”입니다. 채널: {allowed}.",
    },
    "unknown_value": {
        Lang.EN: "“{value}” is not a valid {field}. Use one of: {allowed}.",
        Lang.ZH_HANS: "“{value}”不是有效的{field}。可选：{allowed}。",
        Lang.KO: "“{value}”은(는) 올바른 {field} 값이 아닙니다. 사용 가능: {allowed}.",
    },
    "too_long": {
        Lang.EN: "The {field} is too long: {length} characters, at most {limit}. Nothing was saved.",
        Lang.ZH_HANS: "{field}太长：{length}个字符，最多{limit}个。没有保存任何内容。",
        Lang.KO: "{field} 항목이 너무 깁니다: {length}자, 최대 {limit}자. 아무것도 저장하지 않았습니다.",
    },
    "missing_field": {
        Lang.EN: "The {field} is missing.",
        Lang.ZH_HANS: "缺少{field}。",
        Lang.KO: "{field} 항목이 없습니다.",
    },
    "invalid_value": {
        Lang.EN: "The {field} “{value}” is not valid: {reason}.",
        Lang.ZH_HANS: "{field}的值“{value}”无效：{reason}。",
        Lang.KO: "{field} 값 “{value}”이(가) 올바르지 않습니다: {reason}.",
    },
    "transition": {
        Lang.EN: "Plan #{plan_id} is {current}; it cannot become {wanted}. From {current} it can become: {allowed}.",
        Lang.ZH_HANS: "计划 #{plan_id} 当前为{current}，不能改为{wanted}。从{current}可以改为：{allowed}。",
        Lang.KO: "계획 #{plan_id}은(는) 현재 {current} 상태라 {wanted}(으)로 바꿀 수 없습니다. 가능한 상태: {allowed}.",
    },
    "plan_not_found": {
        Lang.EN: "There is no plan #{plan_id}.",
        Lang.ZH_HANS: "没有编号为 #{plan_id} 的计划。",
        Lang.KO: "#{plan_id} 계획이 없습니다.",
    },
    "unreadable_file": {
        Lang.EN: "Cannot read {path}: {reason}.",
        Lang.ZH_HANS: "无法读取 {path}：{reason}。",
        Lang.KO: "{path} 파일을 읽을 수 없습니다: {reason}.",
    },
    "import_failed": {
        Lang.EN: "Nothing was imported: {count} row(s) have errors.",
        Lang.ZH_HANS: "没有导入任何内容：{count} 行有错误。",
        Lang.KO: "아무것도 가져오지 않았습니다: {count}개 행에 오류가 있습니다.",
    },
    "plan_has_errors": {
        Lang.EN: "The plan was not saved: it has {count} error(s). Fix them, or save it as a draft.",
        Lang.ZH_HANS: "计划未保存：有 {count} 个错误。请先修正，或保存为草稿。",
        Lang.KO: "계획을 저장하지 않았습니다: 오류가 {count}개 있습니다. 고치거나 초안으로 저장하세요.",
    },
    "bad_date": {
        Lang.EN: "“{value}” is not a date; use YYYY-MM-DD.",
        Lang.ZH_HANS: "“{value}”不是有效日期，请使用 YYYY-MM-DD 格式。",
        Lang.KO: "“{value}”은(는) 날짜가 아닙니다. YYYY-MM-DD 형식을 쓰세요.",
    },
}


def describe(error: UserError, lang: Lang) -> str:
    """One line telling the user what is wrong, in ``lang``."""
    template = _MESSAGES.get(error.code, {}).get(lang.content_lang)
    if template is None:
        template = _MESSAGES.get(error.code, {}).get(Lang.EN, "{code}")
    return localise(template.format(code=error.code, **error.params), lang)
