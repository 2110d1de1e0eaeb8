"""The report in a real headless Chromium: no console errors; the matrix, a diagram and what changed show."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reach import load_snapshot
from reach.render.report.page import build_report, write_report

from .conftest import SAMPLES


def chromium() -> str | None:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


BROWSER = chromium()
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium on this machine (apt-get install chromium; .ci/run installs it "
                            "when it runs as root): the report is not checked in a browser")

# Measures, after load, whether the matrix and the first diagram take up room on the page, and
# writes the result into the DOM for --dump-dom. Only the test's copy of the page carries it.
PROBE = """<script>
addEventListener("load", () => {
  const seen = (el) => { if (!el) return "missing"; const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 50 && r.height > 50 && s.visibility !== "hidden" && s.display !== "none"
      ? "visible" : "hidden " + r.width + "x" + r.height; };
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = "matrix=" + seen(document.getElementById("audit-matrix")) +
    " diagram=" + seen(document.querySelector("svg.diagram")) +
    " diagrams=" + document.querySelectorAll("svg.diagram").length;
  document.body.appendChild(out);
});
</script>"""


# The same, for a page made --against a baseline: the "What changed" section, its tables, and the
# matrix's changed cells with their "was: ..." text all take up room on the page.
PROBE_CHANGES = """<script>
addEventListener("load", () => {
  const seen = (el) => { if (!el) return "missing"; const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 50 && r.height > 10 && s.visibility !== "hidden" && s.display !== "none"
      ? "visible" : "hidden " + r.width + "x" + r.height; };
  const was = [...document.querySelectorAll("#audit-matrix td.changed small.was")]
    .filter((el) => el.getBoundingClientRect().height > 0 && el.textContent.startsWith("was: "));
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = "changes=" + seen(document.getElementById("changes")) +
    " heading=" + seen(document.querySelector("#changes h2")) +
    " verdicts=" + seen(document.getElementById("changed-verdicts")) +
    " objects=" + seen(document.getElementById("changed-objects")) +
    " marked=" + was.length;
  document.body.appendChild(out);
});
</script>"""


def run_chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0"]
    return subprocess.run([BROWSER, *flags, *args], capture_output=True, text=True, timeout=180)


def console_problems(stderr: str, page: Path) -> list[str]:
    """Console messages of the page itself, and uncaught errors: the page has no scripts, so none."""
    return [line for line in stderr.splitlines()
            if ("CONSOLE" in line and page.name in line) or "Uncaught" in line]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    page = build_report(load_snapshot(SAMPLES / "categram" / "snapshot.json"))
    path = folder / "report.html"
    write_report(page.html, str(path))
    return path


@pytest.fixture(scope="module")
def changed_report(tmp_path_factory) -> tuple[Path, int]:
    """The changed sample, reported --against the original: its page and how many verdicts changed."""
    folder = tmp_path_factory.mktemp("changed")
    old = load_snapshot(SAMPLES / "categram" / "snapshot.json")
    page = build_report(load_snapshot(SAMPLES / "categram-changed" / "snapshot.json"), against=old,
                        against_name="samples/categram/snapshot.json")
    path = folder / "report.html"
    write_report(page.html, str(path))
    return path, page.changes


def test_report_loads_without_console_errors_and_shows_the_matrix_and_a_diagram(report, tmp_path):
    probed = tmp_path / "probed.html"
    probed.write_text(report.read_text().replace("</body>", PROBE + "</body>"))
    done = run_chromium(tmp_path, "--dump-dom", probed.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert 'id="audit-matrix"' in dom and "<svg" in dom
    probe = re.search(r'<pre id="probe">(.*?)</pre>', dom)
    assert probe, "the probe did not run: the page did not finish loading"
    assert probe.group(1).startswith("matrix=visible diagram=visible diagrams=")
    assert int(probe.group(1).rsplit("=", 1)[1]) >= 2
    assert console_problems(done.stderr, probed) == []


def test_report_screenshot(report, tmp_path):
    shot = tmp_path / "report.png"
    done = run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1600", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_problems(done.stderr, report) == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a page with content, not blank


def test_report_against_a_baseline_shows_what_changed(changed_report, tmp_path):
    report, changes = changed_report
    assert changes
    probed = tmp_path / "probed.html"
    probed.write_text(report.read_text().replace("</body>", PROBE_CHANGES + "</body>"))
    done = run_chromium(tmp_path, "--dump-dom", probed.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    probe = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout)
    assert probe, "the probe did not run: the page did not finish loading"
    assert probe.group(1) == (f"changes=visible heading=visible verdicts=visible objects=visible "
                              f"marked={changes}")
    assert console_problems(done.stderr, probed) == []


def test_report_against_a_baseline_screenshot(changed_report, tmp_path):
    report, _ = changed_report
    shot = tmp_path / "changed.png"
    done = run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2400", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_problems(done.stderr, report) == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


# Whether each diagram fits its figure: no sideways scrolling, the SVG no wider than the column,
# and the widest VPC picture actually shrunk (drawn narrower than its own width attribute).
PROBE_FIT = """<script>
addEventListener("load", () => {
  const svgs = [...document.querySelectorAll("figure svg.diagram")];
  const over = svgs.filter((s) => s.parentElement.scrollWidth > s.parentElement.clientWidth + 1 ||
    s.getBoundingClientRect().width > s.parentElement.getBoundingClientRect().width + 1).length;
  const shrunk = svgs.filter((s) => s.getBoundingClientRect().width + 1 < +s.getAttribute("width") &&
    s.getBoundingClientRect().height > 50).length;
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = "diagrams=" + svgs.length + " overflowing=" + over + " shrunk=" + shrunk;
  document.body.appendChild(out);
});
</script>"""


def test_every_diagram_scales_to_the_column(report, tmp_path):
    probed = tmp_path / "probed.html"
    probed.write_text(report.read_text().replace("</body>", PROBE_FIT + "</body>"))
    done = run_chromium(tmp_path, "--window-size=1280,1600", "--dump-dom", probed.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    probe = re.search(r'<pre id="probe">diagrams=(\d+) overflowing=(\d+) shrunk=(\d+)</pre>', done.stdout)
    assert probe, "the probe did not run: the page did not finish loading"
    diagrams, overflowing, shrunk = map(int, probe.groups())
    assert diagrams >= 2 and overflowing == 0 and shrunk >= 1


# Whether following a link to an answer in a folded function unfolds it (no script on the page).
PROBE_UNFOLD = """<script>
addEventListener("load", () => setTimeout(() => {
  const target = document.getElementById(location.hash.slice(1));
  const folded = [...document.querySelectorAll("details.function")].filter((d) => !d.open).length;
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = "open=" + target.closest("details.function").open + " height=" +
    Math.round(target.getBoundingClientRect().height) + " folded=" + folded;
  document.body.appendChild(out);
}, 200));
</script>"""


def test_a_link_to_an_answer_of_a_folded_function_unfolds_it(tmp_path):
    from bench.generate import SIZES, generate
    from reach import parse_snapshot
    page = build_report(parse_snapshot(generate(SIZES["S"])))
    anchor = re.search(r'<td class="v-unreachable"><a href="#(q-[^"]+)">', page.html).group(1)
    path = tmp_path / "big.html"
    path.write_text(page.html.replace("</body>", PROBE_UNFOLD + "</body>"))
    done = run_chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", f"{path.as_uri()}#{anchor}")
    assert done.returncode == 0, done.stderr[-2000:]
    probe = re.search(r'<pre id="probe">open=(\w+) height=(\d+) folded=(\d+)</pre>', done.stdout)
    assert probe, "the probe did not run: the page did not finish loading"
    assert probe.group(1) == "true" and int(probe.group(2)) > 20 and int(probe.group(3)) >= 90
