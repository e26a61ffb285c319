import { existsSync } from "node:fs";
import puppeteer, { type Browser } from "puppeteer-core";
import { makeTempDir } from "./run-cli.js";

// Debian's headless Chromium (`apt-get install chromium-headless-shell`; .ci/run installs it), or
// any Chromium named by CHROMIUM_PATH.
const CANDIDATES = ["/usr/bin/chromium-headless-shell", "/usr/lib/chromium/chromium-headless-shell", "/usr/bin/chromium"];

export function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, ...CANDIDATES].find((candidate): candidate is string => Boolean(candidate) && existsSync(candidate as string));
  if (!found) throw new Error("no headless Chromium: apt-get install chromium-headless-shell, or set CHROMIUM_PATH");
  return found;
}

/** A headless Chromium with a fresh profile and nothing that reaches out by itself. */
export async function launchChromium(): Promise<Browser> {
  const profile = await makeTempDir("codeenhancer-chromium-");
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: "shell",
    userDataDir: profile,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
