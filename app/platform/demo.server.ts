import { prisma } from "~/platform/db/db.server";

/** Demo mode: the demo seed is allowed and its accounts exist. */
export async function isDemoInstalled(): Promise<boolean> {
  if (process.env.QUORUM_DEMO === "off") return false;
  return (await prisma.user.count({ where: { email: "admin@quorum.test" } })) > 0;
}
