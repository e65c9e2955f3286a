/** The generated client's WebAssembly query compiler runtime (no types shipped); see query-plan-cache.server.ts. */
declare module "@prisma/client/runtime/query_compiler_bg.postgresql.mjs" {
  export const QueryCompiler: unknown;
}
