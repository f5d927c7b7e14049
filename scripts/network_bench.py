"""Measure ``pull_all`` (SSH pull + configuration audit + accounts + software version)
over N fakenos devices on loopback, with bounded concurrency.

Runs against a throw-away SQLite database in a temporary directory (never the real
one): ``python scripts/network_bench.py --devices 200 --workers 8``. Prints the
machine load before and after (the figures depend on it).
"""

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="ggzy-network-bench-")
    os.environ.setdefault("GGZY_ENV", "local")
    os.environ["GGZY_VAR_DIR"] = scratch
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from ggzy.center.services import load_center_data, setup_center

    call_command("migrate", verbosity=0)
    setup_center(data=load_center_data(), create_admin=False)
    settings.ALLOWED_HOSTS = ["*"]
    settings.NETWORK_SSH_TIMEOUT = 30
    settings.NETWORK_SYSLOG_COLLECTOR = "10.9.9.9"

    import fakenos
    from fakenos import FakeNOS
    from fakenos.core.nos import Nos

    from ggzy.credentials.tests.factories import SECRET, make_credential, people, set_by_two
    from ggzy.network import services
    from ggzy.network.models import AuditResult, Device
    from ggzy.network.tests.audit_configs import BAD, GOOD
    from ggzy.network.tests.conftest import COMMANDS, USERNAME, free_port

    base = os.path.join(os.path.dirname(fakenos.__file__), "plugins", "nos", "platforms_yaml")
    plugins, hosts, taken = [], {}, set()
    platforms = list(COMMANDS)
    for platform in platforms:
        for quality, texts in (("good", GOOD), ("bad", BAD)):
            nos = Nos(filename=os.path.join(base, f"{platform}.yaml"))
            nos.name = f"bench_{platform}_{quality}"
            text = texts[platform]
            for command in COMMANDS[platform]:
                nos.commands[command] = {
                    "output": text,
                    "help": "",
                    "prompt": ["{base_prompt}>", "{base_prompt}#"],
                }
            plugins.append(nos)
    head, admin = people()
    credential = make_credential(admin, name="bench", username=USERNAME, system_use="network.config_backup")
    set_by_two(credential, admin, head)
    for i in range(args.devices):
        platform = platforms[i % len(platforms)]
        quality = "good" if i % 2 == 0 else "bad"
        port = free_port()
        while port in taken:  # free_port() may answer the same free port twice
            port = free_port()
        taken.add(port)
        hosts[f"d{i}"] = {
            "port": port,
            "nos": {"plugin": f"bench_{platform}_{quality}"},
            "username": USERNAME,
            "password": SECRET,
        }
        Device.objects.create(
            name=f"bench-{i:03d}",
            kind="switch",
            platform=platform,
            mgmt_address="127.0.0.1",
            ssh_port=port,
            credential=credential,
            owner=admin,
            key_device=i % 5 == 0,
        )
    net = FakeNOS(inventory={"hosts": hosts}, plugins=plugins)
    net.start()
    try:
        load_before = os.getloadavg()
        started = time.perf_counter()
        attempts = services.pull_all(workers=args.workers)
        elapsed = time.perf_counter() - started
        load_after = os.getloadavg()
    finally:
        net.stop()
    ok = sum(1 for a in attempts if a.outcome == "ok")
    failing = AuditResult.objects.filter(current=True, outcome="fail").count()
    print(f"devices: {args.devices}, workers: {args.workers}, cpus: {os.cpu_count()}")
    print(f"pull + audit: {elapsed:.1f} s ({elapsed / max(1, args.devices):.2f} s/device), ok: {ok}")
    print(f"audit results: {AuditResult.objects.filter(current=True).count()}, failing: {failing}")
    print(f"load average before: {load_before[0]:.1f}, after: {load_after[0]:.1f}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process: the pulls and the {args.devices} SSH servers): {peak_mb:.0f} MB")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
