/**
 * A session's whole file as one ZIP: every archived document of the session its viewer may see (`visibleDocuments`:
 * for the secretariat any kind — minutes, decision sheets, grids, records, letters —, for a member who sat on it only
 * the deliberation's — grids, decision sheets, minutes), the attendance
 * sheet (members with role and college, candidates with their passage) as CSV, and a manifest of SHA-256 hashes in
 * `sha256sum` format (`sha256sum -c MANIFESTE-SHA256.txt` checks the unzipped files), whose header gives the session's
 * day and time in Paris as presence.csv does; the ZIP's name carries the session's Paris day too. Audited.
 */
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { crc32, deflateRaw } from "node:zlib";
import { Zip, strToU8, type ZipInputFile } from "fflate";
import { prisma } from "~/platform/db/db.server";
import { AppError, type Actor } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { toCsv } from "~/platform/csv";
import { attendanceSheetRows, sessionArchiveManifest, type AttendanceRow } from "~/domain/attendance-sheet";
import { parisDateKey } from "~/domain/planning";
import { safeFileName } from "~/domain/completeness";
import { SESSION_NOT_FOUND, visibleDocuments, visibleSession, type ArchiveViewer } from "./archive-access.server";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const deflateRawAsync = promisify(deflateRaw);

/**
 * The files as one ZIP, each deflated by zlib in libuv's thread pool rather than on the event loop (fflate's zipSync
 * held the loop ~120 ms for a session of 30 grids), its CRC-32 by zlib too; fflate only writes the ZIP's records
 * around them (each entry's sizes and CRC after its data: a data descriptor, as any unzip reads).
 */
async function zipFiles(files: Record<string, Uint8Array>, mtime: Date): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  let ended = false;
  const zip = new Zip((error, chunk, final) => {
    if (error) failure = error;
    else chunks.push(chunk);
    if (final) ended = true;
  });
  for (const [filename, bytes] of Object.entries(files)) {
    const deflated = await deflateRawAsync(bytes, { level: 6 });
    const entry: ZipInputFile = { filename, size: bytes.length, crc: crc32(bytes), compression: 8, mtime };
    zip.add(entry);
    entry.ondata!(null, new Uint8Array(deflated.buffer, deflated.byteOffset, deflated.byteLength), true);
  }
  zip.end();
  if (failure) throw failure;
  if (!ended) throw new Error("ZIP not finished");
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

export async function exportSessionArchive(viewer: ArchiveViewer, actor: Actor, sessionId: string) {
  const session = await prisma.session.findFirst({
    where: visibleSession(viewer, sessionId),
    select: {
      id: true,
      title: true,
      startsAt: true,
      members: {
        orderBy: { createdAt: "asc" },
        select: { userId: true, role: true, college: true, convokedAt: true, user: { select: { displayName: true, email: true } } },
      },
      attendance: { orderBy: { at: "asc" }, select: { userId: true, kind: true, at: true } },
      slots: {
        orderBy: { position: "asc" },
        select: {
          startsAt: true,
          gridStatus: true,
          signedAt: true,
          candidate: { select: { birthName: true, usageName: true, givenNames: true, sex: true } },
        },
      },
    },
  });
  if (!session) throw new AppError("NOT_FOUND", SESSION_NOT_FOUND);
  // Every document of the session the viewer may open (the archive's own rule), in the archive's order.
  const documents = await prisma.signedDocument.findMany({
    where: { AND: [await visibleDocuments(viewer), { sessionId: session.id }] },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, kind: true, fileName: true, sha256: true, content: true },
  });

  const files: Record<string, Uint8Array> = {};
  const manifest: string[] = [];
  const used = new Set<string>();
  const add = (name: string, bytes: Uint8Array) => {
    let unique = name;
    for (let i = 2; used.has(unique); i++) unique = name.replace(/(\.[^.]+)?$/, `-${i}$1`);
    used.add(unique);
    files[unique] = bytes;
    manifest.push(`${sha256(bytes)}  ${unique}`);
  };
  for (const document of documents) add(`documents/${document.kind}/${safeFileName(document.fileName)}`, new Uint8Array(document.content));

  // In French, dates JJ/MM/AAAA and times in Paris time (the state of a grid and ISO UTC instants before).
  const rows = attendanceSheetRows({
    members: session.members.map((m) => ({ userId: m.userId, displayName: m.user.displayName, role: m.role, college: m.college, convokedAt: m.convokedAt })),
    attendance: session.attendance,
    slots: session.slots,
  });
  add(
    "presence.csv",
    strToU8(
      toCsv<AttendanceRow>(
        [
          { header: "Qualité", value: (r) => r.kind },
          { header: "Nom", value: (r) => r.name },
          { header: "Rôle", value: (r) => r.role },
          { header: "Collège", value: (r) => r.college },
          { header: "Observation", value: (r) => r.detail },
        ],
        rows,
      ),
    ),
  );
  files["MANIFESTE-SHA256.txt"] = strToU8(sessionArchiveManifest(session, manifest));
  const zip = await zipFiles(files, new Date("2000-01-01T00:00:00Z"));

  await prisma.$transaction((tx) =>
    recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      action: "archive.session_downloaded",
      subjectType: "Session",
      subjectId: session.id,
      data: { documents: documents.map((d) => ({ id: d.id, sha256: d.sha256 })), zipSha256: sha256(zip) },
      ip: actor.ip,
      userAgent: actor.userAgent,
    }),
  );
  const stem = safeFileName(`dossier-session-${parisDateKey(session.startsAt)}-${session.id}`);
  return { fileName: `${stem}.zip`, zip };
}
