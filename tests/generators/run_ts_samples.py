"""Compile and run every TypeScript x-codeSamples entry of the spec against a server.

    python tests/generators/run_ts_samples.py BASE_URL

Run by scripts/check-spec after it generated tests/typescript/src/generated/recallrai.d.ts
(openapi-typescript) and started the local server at BASE_URL. Each sample is pointed at
the state its operation needs (sample_world.py), written to tests/typescript/src/samples/,
compiled with the project's `tsc --strict` settings and run with node. Exits non-zero,
naming the sample and showing its output, on the first failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sample_world as world

TS = world.ROOT / "tests" / "typescript"
OUT = TS / "src" / "samples"


def main(base_url: str) -> int:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    names, run = [], uuid.uuid4().hex[:8]  # fresh ids even on a reused server
    with world.client(base_url) as api:
        for op_id, lang, source in world.samples():
            if lang != "typescript":
                continue
            code = world.apply(source, world.prepare(api, op_id, f"ts-{run}-{op_id}", base_url))
            code = code.replace('from "./recallrai";', 'from "../generated/recallrai.js";')
            (OUT / f"{op_id}.ts").write_text(code, encoding="utf-8")
            names.append(op_id)
    tsc = subprocess.run([str(TS / "node_modules" / ".bin" / "tsc"), "-p", str(TS), "--strict"])
    if tsc.returncode != 0:
        print("run_ts_samples: the TypeScript samples do not compile (above)", file=sys.stderr)
        return 1
    env = {**os.environ, "RECALLRAI_API_KEY": world.API_KEY,
           "RECALLRAI_PROJECT_ID": world.PROJECT_ID}  # fmt: skip
    for name in names:
        run = subprocess.run(["node", str(TS / "dist" / "samples" / f"{name}.js")], env=env,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
        if run.returncode != 0:
            source = (OUT / f"{name}.ts").read_text(encoding="utf-8")
            print(f"run_ts_samples: {name} failed:\n{source}\n{run.stdout}{run.stderr}",
                  file=sys.stderr)  # fmt: skip
            return 1
        print(f"  {name}: {run.stdout.strip()[:100]}")
    print(f"{len(names)} TypeScript samples compiled and ran")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
