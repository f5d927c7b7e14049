"""Configurations for the audit tests (网络安全管理办法 二(六)、三、五、七): per platform one
that meets every rule (on a key device, logging to COLLECTOR) and one that breaks them."""

COLLECTOR = "10.9.9.9"

GOOD = {
    "huawei_vrp": """!Software Version V200R019C10SPC600
#
sysname CORE-SW
#
info-center loghost 10.9.9.9
#
snmp-agent community read cipher %^%#GoodCommunityCipher%^%#
#
hwtacacs-server template tac
 hwtacacs-server authentication 10.9.9.10
#
aaa
 authentication-scheme otp
  authentication-mode hwtacacs local
 local-user netadmin password irreversible-cipher $1a$GoodHash$
 local-user netadmin privilege level 15
 local-user viewer password irreversible-cipher $1a$ViewHash$
 local-user viewer privilege level 1
#
acl number 2000
 rule 5 permit source 10.1.9.0 0.0.0.255
#
stelnet server enable
undo http server enable
#
user-interface vty 0 4
 acl 2000 inbound
 authentication-mode aaa
 protocol inbound ssh
#
return""",
    "hp_comware": """ version 7.1.064, Release 0821P11
#
 sysname ACCESS-SW
#
 info-center loghost 10.9.9.9
#
 ssh server enable
 undo ip http enable
#
radius scheme otp
 primary authentication 10.9.9.11
#
domain system
 authentication login radius-scheme otp
#
local-user netadmin class manage
 password hash $h$6$GoodComwareHash==
 service-type ssh
 authorization-attribute user-role network-admin
#
line vty 0 63
 authentication-mode scheme
 protocol inbound ssh
 acl 2000 inbound
#
return""",
    "cisco_ios": """version 15.9
hostname EDGE-RTR
!
no service pad
no ip http server
no ip http secure-server
aaa new-model
aaa authentication login default group tacacs+ local
aaa accounting commands 15 default start-stop group tacacs+
login on-success log
login on-failure log
!
enable secret 9 $9$GoodEnableHash
username netadmin privilege 15 secret 9 $9$GoodAdminHash
snmp-server community Xq7-edge-ro RO
logging host 10.9.9.9
!
line vty 0 4
 access-class 10 in
 transport input ssh
!
end""",
}

# Each breaks the rules listed in BROKEN.
BAD = {
    "huawei_vrp": """!Software Version V200R010C00
#
sysname CORE-SW
#
info-center loghost 192.0.2.200
#
snmp-agent community read public
#
aaa
 local-user admin password simple Admin@huawei.com
 local-user admin privilege level 15
#
telnet server enable
http server enable
ftp server enable
#
user-interface vty 0 4
 authentication-mode password
 protocol inbound all
#
return""",
    "hp_comware": """ version 7.1.045, Release 0106
#
 sysname ACCESS-SW
#
 undo info-center enable
#
 telnet server enable
 ip http enable
 ftp server enable
#
 snmp-agent community write private
#
local-user admin class manage
 password simple admin
 authorization-attribute user-role network-admin
#
line vty 0 63
 authentication-mode scheme
#
return""",
    "cisco_ios": """version 12.4
hostname EDGE-RTR
!
service tcp-small-servers
ip http server
enable password cisco
username admin privilege 15 password 0 Plain-Text-Pw1
snmp-server community public RO
snmp-server community private RW
!
line vty 0 4
 transport input telnet ssh
!
end""",
}

BROKEN = {
    "huawei_vrp": {
        "ssh_only",
        "http_off",
        "mgmt_acl",
        "aaa_2fa",
        "syslog_collector",
        "no_plain_passwords",
        "snmp_community",
        "unused_services",
    },
    "hp_comware": {
        "ssh_only",
        "http_off",
        "mgmt_acl",
        "aaa_2fa",
        "syslog_collector",
        "command_log",
        "no_plain_passwords",
        "snmp_community",
        "unused_services",
    },
    "cisco_ios": {
        "ssh_only",
        "http_off",
        "mgmt_acl",
        "aaa_2fa",
        "syslog_collector",
        "command_log",
        "no_plain_passwords",
        "snmp_community",
        "unused_services",
    },
}

# Secrets in BAD that must never appear on a screen or in a stored result.
BAD_SECRETS = ("Admin@huawei.com", "Plain-Text-Pw1")
