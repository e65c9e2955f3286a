/**
 * The decision notice letter as a sealed PDF/A (PAdES seal of the organisation, like the records), with a QR code to
 * the verification page of each record it announces. Runs in the render worker: plain data in, bytes out.
 */
import type { Notice } from "~/domain/decision-notice";
import { ofName } from "~/domain/format";
import { TextFlow } from "~/platform/pdf/layout.server";
import { createPdfA, numberPages } from "~/platform/pdf/pdfa.server";
import { drawQrCode } from "~/platform/pdf/qr.server";
import { loadSealCertificate } from "~/platform/pdf/seal-certificate.server";
import { sealPdf } from "~/platform/pdf/seal.server";

export type NoticePdfInput = {
  organisation: string;
  candidate: string;
  notice: Notice;
  notifiedAt: Date;
  records: { number: string; verificationUrl: string }[];
};

export async function renderNoticePdf(input: NoticePdfInput): Promise<{ pdf: Uint8Array; notes: { replacedCharacters: string[] } }> {
  const doc = await createPdfA({ title: input.notice.subject, author: input.organisation, subject: "Notification de décision", createdAt: new Date(input.notifiedAt) });
  const flow = new TextFlow(doc);
  flow.text(input.organisation, { size: 11, bold: true, gap: 2 });
  flow.text(`À l'attention ${ofName(input.candidate)}`, { size: 10, gap: 10 });
  flow.text("Notification de la décision du jury", { size: 16, bold: true, gap: 8 });
  for (const section of input.notice.sections) {
    if (section.heading) flow.text(section.heading, { size: 12, bold: true, gap: 3 });
    for (const line of section.lines) flow.text(line, { indent: section.heading ? 8 : 0, gap: 3 });
    flow.space(4);
  }
  for (const record of input.records) {
    flow.ensure(120);
    drawQrCode(flow.page, record.verificationUrl, { x: 50, y: flow.y - 100, size: 90, caption: `Vérifier ${record.number}`, font: doc.fonts.regular });
    flow.y -= 115;
  }
  numberPages(doc);
  const certificate = await loadSealCertificate({ organisation: input.organisation });
  const sealed = await sealPdf(doc, { certificate, reason: "Notification de décision scellée par l'organisme certificateur", location: "Quorum" });
  return { pdf: sealed.bytes, notes: { replacedCharacters: [] } };
}
