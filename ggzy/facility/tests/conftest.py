import pytest

from .snmpsim_agent import Agent


@pytest.fixture(scope="session")
def snmp_agent(tmp_path_factory):
    """snmpsim on a loopback UDP port (a real SNMP v2c agent, never a mock)."""
    agent = Agent(tmp_path_factory.mktemp("snmpsim"))
    agent.start()
    yield agent
    agent.stop()


@pytest.fixture
def agent(snmp_agent):
    """The session agent, its recorded values back to normal after the test."""
    yield snmp_agent
    from .snmpsim_agent import ENV_NORMAL, UPS_NORMAL

    if snmp_agent.values != {"ups": UPS_NORMAL, "env": ENV_NORMAL}:
        snmp_agent.values = {"ups": dict(UPS_NORMAL), "env": dict(ENV_NORMAL)}
        snmp_agent.set("ups", {})
