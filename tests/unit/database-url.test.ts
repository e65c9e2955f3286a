/**
 * DATABASE_URL is read whole by the PostgreSQL pool (app/platform/db/adapters.server.ts): its parameters reach pg — a
 * socket directory for a database on the same machine, TLS, the application's name — where only the host, port,
 * user, password and database used to be kept and the rest silently dropped.
 */
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { pgConfig } from "~/platform/db/adapters.server";

const client = (url: string) => new pg.Client(pgConfig(url)) as pg.Client & { connectionParameters: Record<string, unknown> };

describe("DATABASE_URL", () => {
  const size = process.env.DATABASE_POOL_SIZE;
  afterEach(() => {
    if (size === undefined) delete process.env.DATABASE_POOL_SIZE;
    else process.env.DATABASE_POOL_SIZE = size;
  });

  it("keeps the host, port, user, password and database of a plain URL", () => {
    const c = client("postgres://quorum:s%40cret@db.example:6543/quorum_prod");
    expect([c.host, c.port, c.user, c.password, c.database]).toEqual(["db.example", 6543, "quorum", "s@cret", "quorum_prod"]);
  });

  it("connects through a socket directory, with TLS or an application name, when the URL says so", () => {
    const socket = client("postgres://postgres@localhost/quorum?host=/var/run/postgresql&application_name=quorum-web");
    expect(socket.host).toBe("/var/run/postgresql");
    expect(socket.database).toBe("quorum");
    expect(socket.connectionParameters.application_name).toBe("quorum-web");
    const tls = client("postgres://quorum@db.example/quorum?sslmode=no-verify");
    expect(tls.ssl).toMatchObject({ rejectUnauthorized: false });
  });

  it("sizes the pool from DATABASE_POOL_SIZE", () => {
    process.env.DATABASE_POOL_SIZE = "4";
    expect(pgConfig("postgres://postgres@127.0.0.1/test").max).toBe(4);
    delete process.env.DATABASE_POOL_SIZE;
    expect(pgConfig("postgres://postgres@127.0.0.1/test").max).toBe(10);
  });
});
