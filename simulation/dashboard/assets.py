"""Put the dashboard's front-end files into Solara's asset cache, so that it works offline.

Solara's server does not ship the browser side of the page (the Vue app, RequireJS, Font
Awesome, the grid layout of Mesa's SolaraViz): it proxies them from a public CDN on first use
and keeps them in a cache folder (``SOLARA_ASSETS_PROXY_CACHE_DIR``, by default
``share/solara/cdn`` under the Python prefix). The CDN serves npm packages file by file, so
the same files come from the npm registry: this module finds which packages, at which exact
versions, the installed Solara asks for (by reading Solara's own page template and widget
sources, so a Solara upgrade is followed without editing a list here), fetches each with
``npm pack`` and unpacks it where the proxy looks for it (``NAME@VERSION/path/in/package``).
Once they are there, the server never goes to the CDN.

Run it with ``politburo dashboard --install-assets`` (idempotent: present packages are kept).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

#: The packages the page needs. Their versions are read from the installed Solara; each may
#: be asked for at more than one version (all are installed).
WANTED = (
    "@widgetti/solara-vuetify-app",  # the page's Vue 2 app and its fonts (ipyvue < 3)
    "@widgetti/solara-vuetify3-app",  # the same for Vue 3, used only if ipyvue 3 is installed
    "requirejs",  # the module loader the page starts with
    "font-awesome",  # icons, at the path Solara's settings name
    "@widgetti/vue-grid-layout",  # the draggable grid SolaraViz lays its panels out on
)
#: Solara files that name CDN packages: the page template and the widgets' Vue sources.
SOURCES = ("server/templates/*.j2", "widgets/vue/*.vue", "components/*.vue", "components/*.py")
#: An exact npm version, as in ``requirejs@2.3.6/`` or ``...@2.3.13-alpha.2/``.
VERSION = r"(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)"
#: The CDN minifies on the fly; Solara asks for ``require.min.js``, which the npm package of
#: RequireJS does not hold. The unminified file does the same job.
ALIASES = {("requirejs", "require.min.js"): "require.js"}


class AssetError(RuntimeError):
    """The assets cannot be installed; the message is one line and says what to do."""


@dataclass(frozen=True, order=True)
class Package:
    """One npm package at one exact version."""

    name: str
    version: str

    @property
    def spec(self) -> str:
        """``name@version``, as npm and the CDN's paths write it."""
        return f"{self.name}@{self.version}"


def solara_root() -> Path:
    """The installed Solara package's folder."""
    import solara

    return Path(solara.__file__).parent


def cache_dir() -> Path:
    """The folder Solara's server reads proxied assets from (its own setting)."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def uses_vue3() -> bool:
    """Whether the installed ipyvue makes Solara serve its Vue 3 app."""
    import ipyvue

    return str(ipyvue.__version__).startswith("3")


def required_packages(root: Path | None = None, vue3: bool | None = None) -> list[Package]:
    """The CDN packages the installed Solara asks for, with their exact versions.

    Args:
        root: Solara's package folder (default: the installed one).
        vue3: Whether Solara serves the Vue 3 app (default: decided by the installed ipyvue).

    Returns:
        The packages, sorted.

    Raises:
        AssetError: If a package the page cannot do without is named nowhere (a Solara
            version whose layout this module does not know).
    """
    from solara.server import settings

    root = root or solara_root()
    vue3 = uses_vue3() if vue3 is None else vue3
    app = "@widgetti/solara-vuetify3-app" if vue3 else "@widgetti/solara-vuetify-app"
    wanted = [name for name in WANTED if "solara-vuetify" not in name or name == app]
    text = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for pattern in SOURCES
        for path in sorted(root.glob(pattern))
    )
    # Font Awesome's path is a setting rather than a literal in the template.
    text += "\n" + settings.assets.fontawesome_path
    found: set[Package] = set()
    for name in wanted:
        # The name must start a path segment, so "solara-vuetify-app" does not match inside
        # "solara-vuetify3-app" and "requirejs" does not match inside another name.
        pattern = rf"(?:(?<=/)|^){re.escape(name)}@{VERSION}/"
        versions = set(re.findall(pattern, text, flags=re.MULTILINE))
        if not versions and name in (app, "requirejs"):
            raise AssetError(
                f"the installed Solara names no version of {name}; this installer knows "
                "Solara's layout up to 1.x"
            )
        found |= {Package(name, version) for version in versions}
    return sorted(found)


def package_dir(cache: Path, package: Package) -> Path:
    """Where the proxy looks for a package's files."""
    return cache / package.spec


def missing_packages(cache: Path, packages: list[Package]) -> list[Package]:
    """The packages not yet unpacked in the cache (their ``package.json`` marks them)."""
    return [p for p in packages if not (package_dir(cache, p) / "package.json").is_file()]


def npm_pack(package: Package, destination: Path, npm: str = "npm") -> Path:
    """Fetch one package's tarball from the npm registry with ``npm pack``.

    Raises:
        AssetError: If npm is missing or fails.
    """
    executable = shutil.which(npm)
    if executable is None:
        raise AssetError(
            "npm (Node.js) is needed to fetch the dashboard's front-end files; install it "
            "(e.g. apt-get install npm) and run politburo dashboard --install-assets again"
        )
    done = subprocess.run(
        [executable, "pack", package.spec, "--json", "--pack-destination", str(destination)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise AssetError(f"npm pack {package.spec} failed: {reason}")
    filename = json.loads(done.stdout)[0]["filename"]
    # npm names scoped tarballs "scope-name-version.tgz", without the "@".
    return destination / filename.replace("@", "").replace("/", "-")


def unpack(tarball: Path, target: Path) -> None:
    """Unpack an npm tarball (files under ``package/``) into ``target``, atomically.

    The files go to a temporary folder beside ``target`` that is renamed into place, so an
    interrupted install never leaves a half-filled package that looks complete.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        with tarfile.open(tarball, "r:gz") as archive:
            for member in archive.getmembers():
                parts = PurePosixPath(member.name).parts
                # Only regular files under package/, never absolute or parent-relative paths.
                if not member.isfile() or len(parts) < 2 or ".." in parts or parts[0] == "/":
                    continue
                out = staging.joinpath(*parts[1:])
                out.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                if source is not None:
                    out.write_bytes(source.read())
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def add_aliases(cache: Path, package: Package) -> None:
    """Add files the CDN would derive (see :data:`ALIASES`)."""
    for (name, alias), source in ALIASES.items():
        folder = package_dir(cache, package)
        if package.name == name and (folder / source).is_file() and not (folder / alias).exists():
            shutil.copyfile(folder / source, folder / alias)


def install(cache: Path | None = None, npm: str = "npm") -> tuple[Path, list[Package]]:
    """Install every missing package into Solara's asset cache.

    Args:
        cache: The cache folder (default: Solara's setting).
        npm: The npm executable.

    Returns:
        The cache folder and the packages installed now (empty if all were present).

    Raises:
        AssetError: If a package cannot be fetched or the cache cannot be written.
    """
    cache = cache or cache_dir()
    packages = required_packages()
    missing = missing_packages(cache, packages)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="politburo-assets-") as scratch:
            for package in missing:
                tarball = npm_pack(package, Path(scratch), npm)
                unpack(tarball, package_dir(cache, package))
        for package in packages:
            add_aliases(cache, package)
    except OSError as error:
        raise AssetError(f"cannot write the asset cache {cache}: {error.strerror}") from None
    return cache, missing


def check_installed(cache: Path | None = None) -> None:
    """Make sure the page's assets are in the cache.

    Raises:
        AssetError: Naming the missing packages and the command that installs them.
    """
    cache = cache or cache_dir()
    missing = missing_packages(cache, required_packages())
    if missing:
        names = ", ".join(package.spec for package in missing)
        raise AssetError(
            f"the dashboard's front-end files are not installed in {cache} ({names}); "
            "run: politburo dashboard --install-assets"
        )
