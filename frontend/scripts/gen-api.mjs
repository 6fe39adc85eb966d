// Generates src/api/schema.d.ts from the Django app's OpenAPI schema (drf-spectacular), with
// openapi-typescript. `--check` writes nothing and fails when the committed file is stale.
// The Python is ../.venv/bin/python (made by `make`), or $PYTHON.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const frontend = resolve(here, "..");
const root = resolve(frontend, "..");
const target = join(frontend, "src", "api", "schema.d.ts");
const python = process.env.PYTHON ?? join(root, ".venv", "bin", "python");
const check = process.argv.includes("--check");

const tmp = mkdtempSync(join(tmpdir(), "lms-schema-"));
try {
  const schemaFile = join(tmp, "schema.json");
  const generated = join(tmp, "schema.d.ts");
  execFileSync(python, ["manage.py", "spectacular", "--format", "openapi-json", "--file", schemaFile], {
    cwd: root,
    // The test settings: no local Stripe or developer environment can change the schema.
    env: { ...process.env, DJANGO_SETTINGS_MODULE: "config.settings.test" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  execFileSync(join(frontend, "node_modules", ".bin", "openapi-typescript"), [schemaFile, "-o", generated], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const fresh = readFileSync(generated, "utf8");
  if (check) {
    let committed = "";
    try {
      committed = readFileSync(target, "utf8");
    } catch {
      // missing: stale
    }
    if (committed !== fresh) {
      console.error("frontend/src/api/schema.d.ts is stale: run `make api-types` and commit it.");
      process.exit(1);
    }
    console.log("frontend/src/api/schema.d.ts matches the API schema.");
  } else {
    writeFileSync(target, fresh);
    console.log(`wrote ${target}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
