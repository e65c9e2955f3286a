import path from "node:path";
import type { PrismaConfig } from "prisma";
import { closeSharedEmbeddedDatabase, createAdapterFactory } from "./app/platform/db/adapters.server.ts";

// The Prisma CLI creates the adapter more than once per command; PGlite allows one instance per data
// directory per process, so the adapter module keeps a singleton, closed when the CLI is done.
process.once("beforeExit", () => void closeSharedEmbeddedDatabase());

export default {
  engine: "js",
  experimental: { adapter: true },
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations"), seed: "tsx prisma/seed.ts" },
  adapter: async () => createAdapterFactory(),
} satisfies PrismaConfig;
