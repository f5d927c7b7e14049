"""What the alert rules look for in a line (classified once, when it is indexed).

Patterns cover the usual wording of the platforms in the register (Huawei VRP,
H3C Comware, Cisco IOS, FortiOS, Linux sshd/sudo) in English and Chinese; a
pattern is a regular expression over the message text and the program name.
"""

import re

from .choices import LineKind

# 网络安全管理办法 五(二)(三): failed logins are what a potential attacker leaves.
LOGIN_FAILED = re.compile(
    r"failed password|authentication fail|auth(entication)? failure|login fail|fail(ed)? to log ?in"
    r"|invalid user|LOGIN_FAILED|LOGINFAIL|PASSWORD_FAIL|SSH_LOGIN_FAIL|login authentication failed"
    r"|登录失败|认证失败|登陆失败",
    re.IGNORECASE,
)
# 网络安全管理办法 四(四): a configuration change the device reports (checked against
# the network module's change records).
CONFIG_CHANGE = re.compile(
    r"configured from|%SYS-5-CONFIG|config(uration)? (was )?(changed|saved|modified)|CFGCHANGE|CFG_CHANGE"
    r"|CFGMAN|running-config changed|write memory|save configuration|配置(已)?(变更|修改|更改|保存)",
    re.IGNORECASE,
)


def classify(program: str, text: str) -> int:
    if LOGIN_FAILED.search(text):
        return LineKind.LOGIN_FAILED
    if CONFIG_CHANGE.search(text) or CONFIG_CHANGE.search(program):
        return LineKind.CONFIG_CHANGE
    return LineKind.OTHER
