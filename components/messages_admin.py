"""UI strings of the account administration page (merged into the one catalogue in components/i18n.py)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.admin": ("账户管理", "Accounts"),
    "admin.title": ("账户管理", "Accounts"),
    "admin.subtitle": (
        "为各角色开设账户：领导（全省或一市）、小区组织者（绑定小区）、新闻媒体、系统管理员",
        "Open accounts for each role: leaders (province or one city), organisers (bound to compounds), press,"
        " administrators",
    ),
    "admin.col.username": ("用户名", "Username"),
    "admin.col.display_name": ("显示名称", "Display name"),
    "admin.col.role": ("角色", "Role"),
    "admin.col.city": ("城市", "City"),
    "admin.col.compounds": ("绑定小区", "Compounds"),
    "admin.col.active": ("状态", "Status"),
    "admin.col.created": ("创建时间", "Created"),
    "admin.active": ("启用", "Active"),
    "admin.inactive": ("已停用", "Disabled"),
    "admin.disable": ("停用所选账户", "Disable selected"),
    "admin.enable": ("启用所选账户", "Enable selected"),
    "admin.select_first": ("请先在表格中选择一个账户。", "Select an account in the table first."),
    "admin.new": ("新建账户", "New account"),
    "admin.username": ("用户名", "Username"),
    "admin.display_name": ("显示名称", "Display name"),
    "admin.role": ("角色", "Role"),
    "admin.city": ("城市（领导；不选为全省）", "City (leaders; none = province)"),
    "admin.compounds": ("绑定小区（小区组织者；输入名称搜索）", "Compounds (organisers; type to search)"),
    "admin.password": ("初始密码（至少 10 位）", "Initial password (10 characters or more)"),
    "admin.create": ("创建账户", "Create account"),
    "admin.created": ("已创建账户 {username}。", "Created the account {username}."),
    "admin.updated": ("已更新账户 {username}。", "Updated the account {username}."),
    "admin.forbidden": ("只有系统管理员可以管理账户。", "Only administrators manage accounts."),
    "admin.err.invalid": ("输入有误", "Invalid input"),
    "admin.err.username": ("用户名须为 1–60 个字符", "A username has 1–60 characters"),
    "admin.err.taken": ("该用户名已被使用", "This username is taken"),
    "admin.err.password": ("密码至少 {n} 位", "At least {n} characters"),
    "admin.err.city": ("未知城市", "Unknown city"),
    "admin.err.compounds": (
        "小区组织者须绑定至少一个存在的小区",
        "An organiser is bound to at least one existing compound",
    ),
    "admin.err.not_organiser": ("只有小区组织者绑定小区", "Only organisers are bound to compounds"),
    "admin.err.not_leader": (
        "只有领导、数据管理员和维修资金中心账户按城市限定范围",
        "Only leaders, data stewards and fund centres are scoped to a city",
    ),
    "admin.err.steward_city": (
        "数据管理员和维修资金中心账户必须指定所属城市",
        "A data steward or fund-centre account must belong to a city",
    ),
    "admin.err.self": ("不能停用自己的账户", "You cannot disable your own account"),
    "admin.err.missing": ("账户不存在", "No such account"),
    "admin.err.role": ("请选择角色", "Choose a role"),
}
