// ESLint 9 flat config: JS + TypeScript recommended, React hooks rules, Node and browser globals, and the import
// boundaries of docs/architecture.md ("Folders and dependencies"), checked on every `npm run lint` / `npm test`.
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/",
      "data/",
      "app/platform/db/generated/",
      "tests/.tmp/",
      "test-results/",
      "playwright-report/",
      "node_modules/",
      ".cache/",
      "bench-results/",
      // Vite's bundled config, written beside vite.config.ts while a build loads it (npm test builds during the lint).
      "*.timestamp-*.mjs",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  reactHooks.configs.flat["recommended-latest"],
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "warn" },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
      "no-empty": ["error", { allowEmptyCatch: true }],
    },
  },
  ...importBoundaries(),
);

/**
 * Who may import whom. Paths are resolved (the `~/` alias through tsconfig) by eslint-plugin-import-x, so a
 * relative `../../realtime/x` is caught like an aliased one; packages are matched by name.
 */
function importBoundaries() {
  const NODE_BUILTINS = ["fs", "fs/promises", "path", "crypto", "net", "http", "https", "child_process", "worker_threads", "os"];
  const DB_PACKAGES = ["@prisma/*", "/pg", "/pg-*", "@electric-sql/*"];
  const USE_CASES = ["./app/back-office", "./app/live", "./app/signing", "./app/delivery", "./app/archive", "./app/platform"];
  const restricted = (patterns, message) => ({ group: patterns, message });
  const NO_DATABASE = [
    restricted(DB_PACKAGES, "Routes and components never touch the database: call a use case (*.server.ts)."),
    restricted(["**/platform/db/**", "~/platform/db/*"], "Routes and components never touch the database: call a use case (*.server.ts)."),
  ];
  return [
    {
      files: ["app/**/*.{ts,tsx}", "realtime/**/*.ts", "server.ts"],
      plugins: { "import-x": importX },
      settings: {
        "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
        "import-x/extensions": [".ts", ".tsx", ".js", ".mjs"],
      },
      rules: {
        // No import cycles between our modules (packages are not followed, which keeps the lint fast).
        "import-x/no-cycle": ["error", { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: false }],
        "import-x/no-restricted-paths": [
          "error",
          {
            zones: [
              {
                target: "./app",
                from: "./realtime",
                message: "app/ never imports realtime/: go through the RealtimePort (app/live/realtime-port.ts).",
              },
              {
                target: "./app/domain",
                from: ["./app", "./realtime", "./server.ts"],
                except: ["./domain"],
                message: "app/domain holds pure rules: it imports nothing outside app/domain.",
              },
              {
                target: ["./app/routes", "./app/components"],
                from: "./app/platform/db",
                message: "Routes and components never touch the database: call a use case (*.server.ts).",
              },
              {
                target: USE_CASES,
                from: ["./app/components", "./app/routes"],
                message: "Use cases never import UI (components, routes): move the pure part to app/domain.",
              },
              {
                target: "./realtime",
                from: ["./app/routes", "./app/components"],
                message: "realtime/ never imports routes or components.",
              },
            ],
          },
        ],
      },
    },
    {
      files: ["app/domain/**/*.ts"],
      rules: {
        "no-restricted-imports": [
          "error",
          {
            paths: NODE_BUILTINS.map((name) => ({ name, message: "app/domain is pure: no I/O (no Node built-in)." })),
            patterns: [
              restricted(["node:*", ...DB_PACKAGES], "app/domain is pure: no I/O (no node:*, fs, database)."),
              restricted(
                ["/react", "/react-*", "/react/*", "@remix-run/*", "/socket.io*", "/nodemailer"],
                "app/domain is pure: no framework, UI or network package.",
              ),
            ],
          },
        ],
      },
    },
    {
      files: ["app/routes/**/*.{ts,tsx}", "app/components/**/*.{ts,tsx}", "app/root.tsx"],
      rules: {
        "no-restricted-imports": [
          "error",
          {
            paths: [
              {
                name: "@remix-run/react",
                importNames: ["Form", "useActionData"],
                message:
                  "Use Form and useFormResult from ~/components/form: a form sent while the server cannot be reached keeps its page and what was typed.",
              },
              {
                name: "@remix-run/react",
                importNames: ["useFetcher", "useRevalidator"],
                message:
                  "Use useCommand, useJsonRead or useRevalidateWhenReachable: a fetcher's or a revalidation's request that never reaches the server replaces the page by its error page.",
              },
            ],
            patterns: NO_DATABASE,
          },
        ],
      },
    },
    {
      // The places that wrap Remix's form and its revalidation.
      files: ["app/components/form.tsx", "app/components/use-revalidate-when-reachable.ts"],
      rules: { "no-restricted-imports": ["error", { patterns: NO_DATABASE }] },
    },
    {
      files: ["realtime/**/*.ts"],
      rules: {
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              restricted(["/react", "/react-*", "/react/*", "@remix-run/react"], "realtime/ never imports React."),
              restricted(["~/routes/*", "~/components/*"], "realtime/ never imports routes or components."),
            ],
          },
        ],
      },
    },
  ];
}
