/** `npx prisma db seed`: creates the demo organisation when the database is empty. */
import { disconnectDatabase, prisma } from "~/platform/db/db.server";
import { seedDemoIfEmpty } from "./seed/demo";

const created = await seedDemoIfEmpty(prisma);
console.log(created ? "Démo créée." : "La base contient déjà des données : rien à faire.");
await disconnectDatabase();
