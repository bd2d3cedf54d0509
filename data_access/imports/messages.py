"""What an import says, Chinese first, English second: the catalogue every report and the command line read.

The data layer hands out message keys with parameters (`Message`), never finished sentences, so the page can
show them in the viewer's language and the error file can be written in it. The catalogue has the shape of
`components/messages_*.py` (key → (Chinese, English)) and keys start with `import.`, so the UI catalogue can
merge it without a clash; `render` is for callers below the components layer (the command line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

MESSAGES: dict[str, tuple[str, str]] = {
    # the file as a whole
    "import.file.empty": ("文件是空的。", "The file is empty."),
    "import.file.too_large": (
        "文件过大（{size} MB），上限为 {limit} MB：请拆分后分批导入。",
        "The file is too large ({size} MB; the limit is {limit} MB): split it and import the parts.",
    ),
    "import.file.extension": (
        "不支持的文件类型“{ext}”：请上传 .xlsx 或 .csv 文件。",
        'Files of type "{ext}" are not accepted: upload an .xlsx or .csv file.',
    ),
    "import.file.xls": (
        "这是旧版 Excel（.xls）文件或加了密码的工作簿：请在 Excel 中另存为不加密的 .xlsx 再导入。",
        "This is an old Excel (.xls) file or a password-protected workbook: save it as an .xlsx without a"
        " password and import that.",
    ),
    "import.file.mismatch": (
        "文件内容与扩展名不符：扩展名是 {ext}，内容却是{actual}。",
        "The file's content does not match its extension: it is named {ext} but holds {actual}.",
    ),
    "import.file.not_xlsx": (
        "不是有效的 .xlsx 工作簿。",
        "This is not a valid .xlsx workbook.",
    ),
    "import.file.not_text": (
        "不是文本格式的 CSV 文件（含有二进制内容）。",
        "This is not a text CSV file (it holds binary content).",
    ),
    "import.file.zip_bomb": (
        "工作簿解压后过大或压缩比异常（{detail}），为安全起见拒绝读取。",
        "The workbook would unpack to an excessive size or has an abnormal compression ratio ({detail}); it is"
        " refused for safety.",
    ),
    "import.file.encoding": (
        "无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV。",
        "The file's encoding is not recognised: save the CSV as UTF-8 or GBK.",
    ),
    "import.file.unreadable": ("无法读取文件：{detail}", "The file cannot be read: {detail}"),
    "import.file.no_header": (
        "工作表“{sheet}”的前 {n} 行中没有表头行：第一行应为列名（中文或英文，见模板）。",
        'Sheet "{sheet}" has no header row within its first {n} rows: the first row should name the columns'
        " (in Chinese or English, as in the template).",
    ),
    "import.file.missing_columns": (
        "工作表“{sheet}”缺少必填列：{columns}。",
        'Sheet "{sheet}" lacks required columns: {columns}.',
    ),
    "import.file.duplicate_column": (
        "工作表“{sheet}”中“{column}”列出现了两次。",
        'Sheet "{sheet}" has the column "{column}" twice.',
    ),
    "import.file.blank_rows": (
        "工作表“{sheet}”从第 {row} 行起有 {n} 个以上连续空行：请删除这些空行（表尾不足 {n} 行的空行会自动忽略）。",
        'Sheet "{sheet}" has more than {n} consecutive blank rows from row {row}: delete them (fewer than {n}'
        " blank rows at the end are ignored).",
    ),
    "import.file.too_many_rows": (
        "数据超过 {limit} 行：请拆分文件后分批导入。",
        "The file holds more than {limit} rows: split it and import the parts.",
    ),
    "import.file.unknown_sheet": (
        "工作表“{sheet}”不是“{kind}”模板中的表（表名和列名都对应不上）：请删除它或改用模板的表名。",
        'Sheet "{sheet}" is not a table of the "{kind}" template (neither its name nor its columns match):'
        " delete it or name it as in the template.",
    ),
    "import.file.sheet_twice": (
        "“{table}”表出现了两次（工作表“{first}”和“{second}”）：请合并为一张。",
        'The "{table}" table appears twice (sheets "{first}" and "{second}"): merge them into one.',
    ),
    "import.file.no_data": ("文件中没有可导入的表。", "The file holds no table to import."),
    "import.file.unknown_city": ("没有代码为“{city}”的城市。", 'There is no city with the code "{city}".'),
    "import.file.unknown_kind": (
        "没有“{kind}”这种数据；可导入：{kinds}。",
        'There is no kind "{kind}"; the kinds are: {kinds}.',
    ),
    # one cell or row
    "import.err.required": ("必填项为空", "required value missing"),
    "import.err.text": ("不是文本", "not text"),
    "import.err.code": ("不是有效的编码或编号", "not a valid code or number"),
    "import.err.code_digits": (
        "长编号被 Excel 存成了数值，末尾数字已丢失：请把此列设为“文本”格式后重新输入",
        "a long number stored as a number by Excel has lost its last digits: format the column as text and"
        " type it again",
    ),
    "import.err.int": ("不是整数", "not a whole number"),
    "import.err.money": (
        "不是可识别的金额（例如 1234.50、1,234.50元、12.3万元）",
        "not an amount (e.g. 1234.50, 1,234.50元, 12.3万元)",
    ),
    "import.err.money_precision": ("金额只能精确到分（最多两位小数）", "amounts are exact to the fen (two decimals)"),
    "import.err.bool": ("应为“是”或“否”", 'should be "是" (yes) or "否" (no)'),
    "import.err.choice": ("不是可选值之一：{choices}", "not one of the allowed values: {choices}"),
    "import.err.date": (
        "不是可识别的日期（例如 2024-09-15、2024/9/15、2024年9月15日）",
        "not a date (e.g. 2024-09-15, 2024/9/15, 2024年9月15日)",
    ),
    "import.err.datetime": (
        "不是可识别的日期时间（例如 2024-09-15 08:30、2024年9月15日 8时30分）",
        "not a date and time (e.g. 2024-09-15 08:30, 2024年9月15日 8时30分)",
    ),
    "import.err.time": ("时刻无效", "not a valid time of day"),
    "import.err.date_has_time": ("日期列中不应有时刻", "a date column should hold no time of day"),
    "import.err.date_range": ("日期不在 {first}–{last} 年之间", "the date is not between {first} and {last}"),
    "import.err.min": ("不能小于 {min}", "must be at least {min}"),
    "import.err.max": ("不能大于 {max}", "must be at most {max}"),
    "import.err.too_long": ("超过 {max} 个字符", "longer than {max} characters"),
    "import.err.invalid": ("值无效：{detail}", "invalid value: {detail}"),
    "import.err.future": ("晚于今天（{today}）", "later than today ({today})"),
    "import.err.before": ("早于“{other}”（{other_value}）", 'earlier than "{other}" ({other_value})'),
    "import.err.duplicate": (
        "与第 {first} 行重复（{what}相同）",
        "the same {what} as row {first}",
    ),
    "import.err.city": (
        "不是本次导入的城市（{city}）",
        "not the city of this import ({city})",
    ),
    "import.err.district_unknown": ("{city}没有这个区县", "{city} has no such district"),
    "import.err.district_other_city": (
        "这是{other}的区县，不属于本次导入的城市（{city}）",
        "a district of {other}, not of the city of this import ({city})",
    ),
    "import.err.compound_unknown": (
        "该区县没有这个小区（数据库和本文件中都没有）",
        "no such compound in this district (neither in the database nor in this file)",
    ),
    "import.err.building_unknown": (
        "该小区没有这个楼栋（数据库和本文件中都没有）",
        "no such building in this compound (neither in the database nor in this file)",
    ),
    "import.err.unit_unknown": (
        "该楼栋没有这个单元（数据库和本文件中都没有）",
        "no such unit in this building (neither in the database nor in this file)",
    ),
    "import.err.company_unknown": (
        "本市没有这家物业服务企业（数据库和本文件中都没有）",
        "no such property company in this city (neither in the database nor in this file)",
    ),
    "import.err.company_ambiguous": (
        "本市有 {n} 家同名物业服务企业，无法确定是哪一家",
        "{n} property companies of this city have this name: which one is meant cannot be told",
    ),
    "import.err.elevator_unknown": ("没有这个注册代码的电梯", "no elevator has this registration code"),
    "import.err.elevator_other_city": (
        "这是{other}的电梯，不属于本次导入的城市（{city}）",
        "an elevator of {other}, not of the city of this import ({city})",
    ),
    "import.err.elevator_other_compound": (
        "这部电梯不在本行所填的小区",
        "this elevator is not in the compound this row names",
    ),
    "import.err.elevator_other_district": (
        "这部电梯不在本行所填的区县",
        "this elevator is not in the district this row names",
    ),
    "import.err.order_other_city": (
        "这个工单编号已属于{other}的工单，不属于本次导入的城市（{city}）",
        "this work-order number belongs to a work order of {other}, not of the city of this import ({city})",
    ),
    "import.err.amount_positive": (
        "金额须大于 0（支出也填正数，收支方向由类型列表示）",
        "the amount must be above 0 (money out too: the kind column says which way it goes)",
    ),
    "import.err.choice_elsewhere": (
        "这类记录应记入{where}，不属于本表",
        "entries of this kind belong in {where}, not in this table",
    ),
    "import.err.reference_other_city": (
        "这个凭证号已属于{other}的记录，不属于本次导入的城市（{city}）",
        "this reference belongs to an entry of {other}, not of the city of this import ({city})",
    ),
    "import.err.account_unknown": (
        "该楼栋（单元）没有统筹账户（数据库和本文件的“统筹账户”表中都没有）",
        "this building (unit) has no pooled account (neither in the database nor in this file's account sheet)",
    ),
    "import.err.before_opened": (
        "早于统筹账户的开户日期（{opened}）",
        "earlier than the day the pooled account was opened ({opened})",
    ),
    "import.err.policy_other_city": (
        "这个保单号已属于{other}的保单，不属于本次导入的城市（{city}）",
        "this policy number belongs to a policy of {other}, not of the city of this import ({city})",
    ),
    "import.err.no_application": (
        "这部电梯没有已批准的投保申请：须先在系统中记录投保申请",
        "no approved insurance application includes this elevator: the application must be recorded first",
    ),
    "import.err.before_approval": (
        "早于这部电梯投保申请的批准日期（{approved}）",
        "earlier than the day this elevator's insurance application was approved ({approved})",
    ),
    "import.err.voucher_unknown": (
        "没有这个凭证号的统筹账户收支记录（请先导入统筹账户）",
        "no pooled-account entry has this reference (import the pooled accounts first)",
    ),
    "import.err.voucher_not_premium": (
        "这条统筹账户收支记录不是保费支出",
        "this pooled-account entry is not a premium",
    ),
    "import.err.voucher_other_building": (
        "这笔保费出自其他楼栋的统筹账户，不是这部电梯所在楼栋的",
        "this premium was paid from another building's pooled account, not that of the elevator's building",
    ),
    "import.err.voucher_taken": ("这笔保费已用于保单 {other}", "this premium already pays policy {other}"),
    "import.err.policy_unknown": (
        "没有这个保单号的保单（请先导入保单）",
        "no policy has this number (import the policies first)",
    ),
    "import.err.claim_policy_other_city": (
        "这是{other}的保单，不属于本次导入的城市（{city}）",
        "a policy of {other}, not of the city of this import ({city})",
    ),
    "import.err.claim_other_city": (
        "这个理赔编号已属于{other}的理赔记录，不属于本次导入的城市（{city}）",
        "this claim number belongs to a claim of {other}, not of the city of this import ({city})",
    ),
    "import.err.claim_elevator": (
        "不是该保单所保的电梯（{code}）",
        "not the elevator the policy insures ({code})",
    ),
    "import.err.before_cover": (
        "早于保单的保险起期（{start}）",
        "earlier than the policy's first day of cover ({start})",
    ),
    "import.err.fault_unknown": (
        "保单所保电梯（{code}）没有这个报告时间的故障（请先导入电梯故障）",
        "the policy's elevator ({code}) has no fault reported at this time (import the faults first)",
    ),
    "import.err.fault_outside_cover": (
        "这次故障不在保单的保险期间（{start} 至 {end}）内",
        "this fault was reported outside the policy's cover ({start} to {end})",
    ),
    "import.err.over_cover": (
        "该保单的赔付合计将达 {total} 元，超过保额 {cover} 元",
        "the policy's claims would total {total} yuan, above its cover of {cover} yuan",
    ),
    # deleting a city's records of one kind (the command line's delete-city-data)
    "import.delete.counts": ("{city}的“{kind}”记录：", "{kind} records of {city}:"),
    "import.delete.blocked_kind": (
        "{table}中有 {n} 条记录引用这些数据：请先删除“{kind}”",
        "{n} records of {table} refer to them: delete the {kind} records first",
    ),
    "import.delete.blocked_held": (
        "其中 {n} 条{table}被“{kind}”记录引用：请先删除“{kind}”",
        "{n} of these {table} are named by {kind} records: delete the {kind} records first",
    ),
    "import.delete.blocked_records": (
        "{table}中有 {n} 条记录引用这些数据，而任何导入模板都不能恢复它们：不能删除",
        "{n} records of {table} refer to them, and no import template can bring those back: not deleted",
    ),
    "import.delete.refused": ("未删除任何记录。", "Nothing was deleted."),
    "import.delete.confirm": (
        "未删除任何记录：确认删除请加 --yes。",
        "Nothing was deleted: add --yes to delete them.",
    ),
    "import.delete.done": (
        "已删除{city}的“{kind}”记录 {n} 条（一个事务），汇总表已重建。",
        "Deleted {n} {kind} records of {city} (one transaction); the pre-aggregated tables were rebuilt.",
    ),
    # the command line's and the page's words around the report
    "import.kind.registry": ("房屋与电梯登记", "Registry"),
    "import.count.new": ("新增", "new"),
    "import.count.updated": ("更新", "updated"),
    "import.count.unchanged": ("未变", "unchanged"),
    "import.count.rejected": ("拒绝", "rejected"),
    "import.report.loaded": (
        "已导入：{new} 条新增，{updated} 条更新，{unchanged} 条未变。",
        "Loaded: {new} new, {updated} updated, {unchanged} unchanged.",
    ),
    "import.report.loadable": (
        "检查通过（试运行，未写入）：{new} 条新增，{updated} 条更新，{unchanged} 条未变。",
        "Checked (dry run, nothing written): {new} new, {updated} updated, {unchanged} unchanged.",
    ),
    "import.report.rejected": (
        "{rows} 行有错误，整个文件未导入（没有写入任何数据）。",
        "{rows} rows have errors: the file was not loaded (nothing was written).",
    ),
    "import.report.refused": ("文件被拒绝，未导入：{reason}", "The file was refused, nothing loaded: {reason}"),
    "import.report.more": (
        "另有 {n} 处错误未列出（只列出前 {shown} 处）。",
        "{n} more errors are not listed (only the first {shown} are).",
    ),
    "import.report.row": (
        "{sheet}第 {row} 行，“{column}”＝“{value}”：{reason}",
        '{sheet}row {row}, "{column}" = "{value}": {reason}',
    ),
    "import.report.ignored": ("未使用的列：{columns}", "Columns not used: {columns}"),
}


class Text(NamedTuple):
    """A parameter that itself has two languages (a city's name, a column's header, a list of choices)."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.zh


@dataclass(frozen=True)
class Message:
    """A catalogue key and its parameters: rendered in the reader's language where it is shown."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return render(self.key, lang, **self.params)


def render(key: str, lang: str = "zh", **params: Any) -> str:
    """The message in Chinese (default) or English (`lang="en"`), its {placeholders} filled."""
    zh, en = MESSAGES[key]
    text = en if lang == "en" else zh
    if not params:
        return text
    english = lang == "en"
    return text.format(**{k: (v.en if english else v.zh) if isinstance(v, Text) else v for k, v in params.items()})
