import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_KEY_FILE, auditKeyFrom } from "~/platform/audit/audit-key.server";

describe("audit chain key", () => {
  it("creates a 0600 key file once in the data directory and reuses it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "quorum-key-"));
    const first = auditKeyFrom({}, dir);
    const file = path.join(dir, AUDIT_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(auditKeyFrom({}, dir)).toEqual(first);
    expect(readFileSync(file, "utf8").trim()).toHaveLength(64);
  });

  it("prefers AUDIT_HMAC_KEY and refuses a short one", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "quorum-key-"));
    expect(new TextDecoder().decode(auditKeyFrom({ AUDIT_HMAC_KEY: "s".repeat(40) }, dir))).toBe("s".repeat(40));
    expect(() => auditKeyFrom({ AUDIT_HMAC_KEY: "short" }, dir)).toThrow(/32/);
  });
});
