/**
 * The direct store (PostgreSQL, single process): each edit is appended to the tables in the group commit, loads
 * and compactions go straight to them (./tables).
 */
import type { DocumentStore } from "./document-store";
import { appendToTables, compactTables, loadFromTables } from "./tables";

export const prismaDocumentStore: DocumentStore = {
  load: loadFromTables,
  append: appendToTables,
  compact: compactTables,
};
