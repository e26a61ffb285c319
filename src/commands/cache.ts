import { clearCache, defaultCacheDir, readCacheInfo } from "../llm/cache.js";
import { ExitCode } from "../errors.js";
import type { RegisterCommand } from "./context.js";
import { CACHE_DIR } from "./option-schemas.js";
import { addOptions, parseOptions, schemaOf } from "./options.js";

const cacheOptions = { cacheDir: CACHE_DIR };
const cacheOptionsSchema = schemaOf(cacheOptions);

export const registerCache: RegisterCommand = (program, ctx, done) => {
  const cache = program.command("cache").description("The response cache shared by every run: where it is, how big, and emptying it.");
  addOptions(cache.command("info").description("Print the cache folder, its entries and size on stdout."), cacheOptions).action((flags: Record<string, unknown>) =>
    run(flags, async (dir) => {
      const info = await readCacheInfo(dir);
      const mb = (info.bytes / 1024 / 1024).toFixed(1);
      const span = info.oldest && info.newest ? `, last used ${info.oldest.toISOString()} .. ${info.newest.toISOString()}` : "";
      ctx.stdout.write(`${info.dir}: ${info.entries} entries, ${mb} MB${span}\n`);
    }),
  );
  addOptions(cache.command("clear").description("Remove every cached reply."), cacheOptions).action((flags: Record<string, unknown>) =>
    run(flags, async (dir) => {
      const removed = await clearCache(dir);
      ctx.stderr.write(`removed ${removed} cached replies from ${dir}\n`);
    }),
  );

  async function run(flags: Record<string, unknown>, act: (dir: string) => Promise<void>): Promise<void> {
    const options = parseOptions(cacheOptionsSchema, flags);
    await act(options.cacheDir ?? defaultCacheDir(ctx.env));
    done(ExitCode.ok);
  }
};
