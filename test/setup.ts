import { afterAll } from "vitest";
import { removeTempDirs } from "./helpers/run-cli.js";

// Every test file's temporary folders go when the file is done: CI machines are reused.
afterAll(removeTempDirs);
