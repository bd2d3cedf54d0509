"""UI strings of /import (merged into the one catalogue in components/i18n.py). The importer's own messages —
why a row or a file is refused — live with it in data_access/imports/messages.py."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.import": ("数据导入", "Import data"),
    "import.title": ("导入本市数据", "Import a city's records"),
    "import.subtitle": (
        "从各部门的台账导入记录：先逐行校验并预览，确认后一次写入；有任何一行被拒绝，什么都不会写入。",
        "Load records from the offices' own files: every row is checked and previewed first, then written at once "
        "on confirmation; if any row is refused, nothing is written.",
    ),
    "import.forbidden": (
        "只有系统管理员和本市数据管理员可以导入数据",
        "Only administrators and the city's data steward may import records",
    ),
    "import.step.what": ("1 选择数据类别和城市", "1 Choose the kind of records and the city"),
    "import.step.file": ("2 上传文件", "2 Upload the file"),
    "import.step.check": ("3 校验结果", "3 What the check found"),
    "import.kind": ("数据类别", "Kind of records"),
    "import.city": ("城市", "City"),
    "import.template": ("下载空白模板（.xlsx）", "Download the empty template (.xlsx)"),
    "import.export": ("导出本市现有记录", "Export the city's current records"),
    "import.template.hint": (
        "模板第一行为中文列名，第二行为英文列名；“说明”工作表列出每一列的类型、单位、是否必填和示例。"
        "中文或英文列名均可导入。",
        "Row 1 of the template holds the Chinese headers, row 2 the English ones; the Notes sheet describes every "
        "column (type, unit, required, example). Either language's headers are accepted.",
    ),
    "import.drop": (
        "将 .xlsx 或 .csv 文件拖放到此处，或点击选择文件",
        "Drop an .xlsx or .csv file here, or click to choose one",
    ),
    "import.drop.limit": ("最大 {mb} MB；CSV 可为 UTF-8 或 GBK 编码", "Up to {mb} MB; CSV in UTF-8 or GBK"),
    "import.err.no_file": ("没有收到文件，请重新选择", "No file arrived; please choose it again"),
    "import.err.too_big": (
        "文件 {name} 为 {size} MB，超过 {mb} MB 的上限；请拆分后分批导入",
        "{name} is {size} MB, over the {mb} MB limit; split it and import the parts",
    ),
    "import.err.city": ("您的账户不能为该城市导入数据", "Your account may not import records for this city"),
    "import.err.kind": ("请选择数据类别", "Choose the kind of records"),
    "import.err.ticket": (
        "这次上传已失效（超过 6 小时或已处理），请重新上传文件",
        "This upload is no longer valid (over 6 hours old, or already handled); please upload the file again",
    ),
    "import.err.failed": (
        "导入未能完成，数据库未作任何更改。请稍后重试；如仍失败，请联系系统管理员。",
        "The import could not be completed and nothing was changed. Please try again later; if it fails again, "
        "contact the administrator.",
    ),
    "import.checking": ("正在校验 {name} …", "Checking {name} …"),
    "import.loading": ("正在写入 {name} …", "Writing {name} …"),
    "import.progress.validate": ("校验 {done}/{total} 行", "Checked {done}/{total} rows"),
    "import.progress.write": ("写入 {done}/{total} 行", "Written {done}/{total} rows"),
    "import.progress.rollups": ("更新统计数据", "Updating the figures"),
    "import.progress.checked": ("已校验 {rows} 行", "Checked {rows} rows"),
    "import.progress.loaded": ("已写入，统计数据已更新", "Written; the figures are up to date"),
    "import.ok": (
        "{name}：全部 {rows} 行校验通过，可以导入。确认后一次写入。",
        "{name}: all {rows} rows passed the check and can be imported. Confirm to write them at once.",
    ),
    "import.nothing_new": (
        "{name}：文件中的记录与系统中完全一致，无需导入。",
        "{name}: every record in the file is already in the system as it is; there is nothing to import.",
    ),
    "import.rejected": (
        "{name}：{rejected} 行被拒绝，整个文件未导入。请按下表修改后重新上传。",
        "{name}: {rejected} rows were refused, so nothing was imported. Correct them as listed and upload again.",
    ),
    "import.refused": ("{name} 无法导入：{reason}", "{name} cannot be imported: {reason}"),
    "import.confirm": ("确认导入", "Confirm the import"),
    "import.errors.download": ("下载错误清单（.xlsx）", "Download the list of errors (.xlsx)"),
    "import.errors.more": ("另有 {n} 处错误未列出（见错误清单）", "{n} more errors not shown (see the error list)"),
    "import.errors.more.one": ("另有 {n} 处错误未列出（见错误清单）", "{n} more error not shown (see the error list)"),
    "import.errors.sheet": ("错误清单", "Errors"),
    "import.loaded": (
        "已导入 {name}：新增 {new}，更新 {updated}，未变 {unchanged}（用时 {seconds} 秒）。各页面数据已更新。",
        "Imported {name}: {new} new, {updated} updated, {unchanged} unchanged ({seconds} s). The pages show them now.",
    ),
    "import.see": ("查看：", "See: "),
    "import.col.table": ("数据表", "Table"),
    "import.col.new": ("新增", "New"),
    "import.col.updated": ("更新", "Updated"),
    "import.col.unchanged": ("未变", "Unchanged"),
    "import.col.rejected": ("拒绝", "Rejected"),
    "import.col.sheet": ("工作表", "Sheet"),
    "import.col.row": ("行号", "Row"),
    "import.col.column": ("列", "Column"),
    "import.col.value": ("内容", "Value"),
    "import.col.reason": ("原因", "Reason"),
}
