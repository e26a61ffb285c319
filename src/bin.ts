#!/usr/bin/env node
// The `codeenhancer` command. It checks the Node version before anything that needs Node 22 is
// loaded: on an older Node the libraries fail at import time with errors that say nothing useful
// (`TEXT_ENCODINGS.union is not a function`). Keep this file free of imports and of new syntax.

const NEEDED = 22;
const major = Number(process.versions.node.split(".")[0]);
if (major < NEEDED) {
  process.stderr.write(
    `codeenhancer: needs Node.js ${NEEDED} or newer, this is ${process.versions.node}. ` +
      "Run it as `npx codeenhancer ...` in the project folder: `npm install` provides Node 24 there.\n",
  );
  process.exit(2);
}
// V8 keeps the compiled modules between runs (Node 22.1+): a run starts ~0.1 s sooner. Beside the
// response cache, in the user's cache folder; a cache that cannot be written only costs the time.
const xdg = process.env.XDG_CACHE_HOME?.trim();
const cacheHome = xdg && xdg.startsWith("/") ? xdg : process.env.HOME ? `${process.env.HOME}/.cache` : "";
if (cacheHome) {
  try {
    const nodeModule = (await import("node:module")) as { enableCompileCache?: (dir: string) => unknown };
    nodeModule.enableCompileCache?.(`${cacheHome}/codeenhancer/node-compile-cache`);
  } catch {
    // Not available or not writable: start without it.
  }
}
const cli = (await import("./cli.js")) as { runFromCommandLine: () => Promise<void> };
await cli.runFromCommandLine();
