"""Runs moto's own compilation-job tests in server mode against TEST_SERVER_MODE_ENDPOINT.

The test file comes from moto's source distribution on PyPI (moto is Apache-2.0), checked
against a pinned SHA-256 and kept in CACHE, so the tests are moto's, unchanged.

    python moto_suite.py CACHE WORKDIR
"""

import hashlib
import os
import subprocess
import sys
import tarfile

VERSION = "5.2.5"
SDIST = f"moto-{VERSION}.tar.gz"
SHA256 = "391857257d5dac144334013c2c10e599def5f0562f553e979160140bd7bd9cf6"
MEMBER = f"moto-{VERSION}/tests/test_sagemaker/test_sagemaker_compilation_jobs.py"


def sdist(cache: str) -> str:
    path = os.path.join(cache, SDIST)
    if not os.path.isfile(path):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--disable-pip-version-check",
             "--no-input", "-q", "--no-deps", "--no-binary", ":all:",
             f"moto=={VERSION}", "-d", cache],
            check=True,
        )
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != SHA256:
        os.remove(path)
        sys.exit(f"{SDIST} has SHA-256 {digest}, not the pinned {SHA256}")
    return path


def main() -> int:
    cache, work = sys.argv[1], sys.argv[2]
    os.makedirs(cache, exist_ok=True)
    os.makedirs(work, exist_ok=True)
    with tarfile.open(sdist(cache)) as archive:
        source = archive.extractfile(MEMBER)
        if source is None:
            sys.exit(f"{MEMBER} is not in {SDIST}")
        test = os.path.join(work, os.path.basename(MEMBER))
        with open(test, "wb") as out:
            out.write(source.read())
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider",
         "--tb=line", test],
        cwd=work,
    ).returncode


if __name__ == "__main__":
    sys.exit(main())
