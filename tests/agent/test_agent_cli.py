"""`yichuang agent` as a process, and the agent of the shipped county site."""
import signal
import subprocess
import sys
from pathlib import Path

from queue_server.agent import Agent
from queue_server.broker import EmbeddedBroker, free_port
from hall.config.hall import load_hall_config
from hall.protocol import topics

from test_scenario import HALL_YAML, retained, wait_until

SITES = Path(__file__).parents[2] / "firmware_configs" / "sites"


def agent_command(*args):
    return [sys.executable, "-m", "queue_server.cli", "agent", "--config", str(HALL_YAML), *args]


def test_unknown_host_is_a_clear_error():
    done = subprocess.run(agent_command("--id", "zz"), capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "no agent host 'zz'" in done.stderr


def test_simulated_agent_comes_online_and_stops_cleanly_on_sigterm(tmp_path):
    broker = EmbeddedBroker("127.0.0.1", free_port()).start()
    proc = subprocess.Popen(agent_command("--id", "a1", "--broker", broker.url, "--simulate",
                                          "--wav-dir", str(tmp_path)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        status = topics.status("agenthall", "agent", "a1")
        assert wait_until(lambda: (retained(broker.url, status, 1.0) or {}).get("state") == "online",
                          30)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
        assert retained(broker.url, status)["state"] == "offline"
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()
        broker.stop()


def test_county_site_agent_drives_all_seventeen_windows():
    config = load_hall_config(SITES / "county.yaml")
    agent = Agent(config, "a1", "mqtt://127.0.0.1:1", simulate=True)   # never started
    try:
        assert len(agent.units) == 17                    # 16 service windows, 统一出件
        assert sorted(agent.bus.devices) == sorted(
            a for w in range(1, 18) for a in (w, 100 + w, 200 + w))
        assert agent.simulation.displays["17"].address == 17
    finally:
        agent.simulation.bus.stop()
