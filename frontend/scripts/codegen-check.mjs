// Regenerates the operation types and the persisted-query manifest, then
// fails when they differ from what git holds (committed or staged), as
// `make check-generate` does for the Go code. Offline: both read local files.
import { execFileSync } from "node:child_process";

const generated = ["src/gql", "persisted-query-manifest.json"];
const git = (...args) => execFileSync("git", args, { encoding: "utf8" });

execFileSync("npm", ["run", "--silent", "codegen"], { stdio: "inherit" });
const changed = git("diff", "--name-only", "--", ...generated) + git("ls-files", "--others", "--exclude-standard", "--", ...generated);
if (changed) {
  console.error("generated frontend code drifted from src/graphql/ or schema/supergraph.graphql (run npm run codegen and commit):");
  console.error(changed);
  process.exit(1);
}
