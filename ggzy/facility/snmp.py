"""Reading the rooms' sensors over SNMP v2c (pysnmp, asyncio): UPS-MIB (RFC 1628)
for UPSes, the model's OID map for temperature/humidity units. Network only; the
database is written by ``services`` (网络机房管理制度 一(三)1、2)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    get_cmd,
)

# UPS-MIB (RFC 1628) objects read from a UPS.
UPS_BATTERY_STATUS = "1.3.6.1.2.1.33.1.2.1.0"  # 1 unknown, 2 normal, 3 low, 4 depleted
UPS_MINUTES_REMAINING = "1.3.6.1.2.1.33.1.2.3.0"
UPS_CHARGE_REMAINING = "1.3.6.1.2.1.33.1.2.4.0"
UPS_INPUT_VOLTAGE = "1.3.6.1.2.1.33.1.3.3.1.3.1"  # upsInputVoltage, line 1
UPS_OUTPUT_SOURCE = "1.3.6.1.2.1.33.1.4.1.0"  # 3 normal, 5 battery, …
UPS_OUTPUT_VOLTAGE = "1.3.6.1.2.1.33.1.4.4.1.2.1"  # upsOutputVoltage, line 1
UPS_OIDS = {
    "battery_status": UPS_BATTERY_STATUS,
    "battery_minutes": UPS_MINUTES_REMAINING,
    "battery_charge": UPS_CHARGE_REMAINING,
    "input_voltage": UPS_INPUT_VOLTAGE,
    "output_source": UPS_OUTPUT_SOURCE,
    "output_voltage": UPS_OUTPUT_VOLTAGE,
}
OUTPUT_SOURCE_BATTERY = 5
TIMEOUT_SECONDS = 2
RETRIES = 1


@dataclass(frozen=True)
class Target:
    key: int
    host: str
    port: int
    community: str
    oids: dict[str, str]  # name → OID


@dataclass(frozen=True)
class Answer:
    key: int
    values: dict[str, int]
    error: str = ""


async def _get(engine: SnmpEngine, target: Target) -> Answer:
    try:
        transport = await UdpTransportTarget.create(
            (target.host, target.port), timeout=TIMEOUT_SECONDS, retries=RETRIES
        )
        names = list(target.oids)
        error_indication, error_status, error_index, var_binds = await get_cmd(
            engine,
            # v2c read-only on the management network; v3 needs the vault (see docs/facility.md).
            CommunityData(target.community, mpModel=1),  # noqa: S508
            transport,
            ContextData(),
            *(ObjectType(ObjectIdentity(target.oids[name])) for name in names),
        )
    except Exception as exc:  # DNS, socket: reported on the sensor, never raised to the poller
        return Answer(target.key, {}, f"{type(exc).__name__}: {exc}"[:300])
    if error_indication:
        return Answer(target.key, {}, str(error_indication)[:300])
    if error_status:
        return Answer(target.key, {}, f"{error_status.prettyPrint()} at {error_index}"[:300])
    values = {}
    for name, (_oid, value) in zip(names, var_binds, strict=True):
        try:
            values[name] = int(value)
        except (TypeError, ValueError):
            return Answer(target.key, {}, f"{name}: not a number ({value.prettyPrint()})"[:300])
    return Answer(target.key, values)


async def _get_all(targets: list[Target], concurrency: int) -> list[Answer]:
    engine = SnmpEngine()
    gate = asyncio.Semaphore(concurrency)

    async def one(target):
        async with gate:
            return await _get(engine, target)

    try:
        return await asyncio.gather(*(one(t) for t in targets))
    finally:
        engine.close_dispatcher()


def get_all(targets: list[Target], *, concurrency: int = 50) -> list[Answer]:
    """GET every target's OIDs concurrently; one Answer per target, in order."""
    if not targets:
        return []
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_get_all(targets, concurrency))
    # Called from a thread that runs an event loop (an async caller): a loop of our own, in a thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _get_all(targets, concurrency)).result()
