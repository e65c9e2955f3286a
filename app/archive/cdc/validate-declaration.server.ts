/**
 * Validation of a declaration file against the shipped schema (cdc-pc5.xsd) with libxml2 compiled to WebAssembly
 * (xmllint-wasm): no native module, same engine as Debian's `xmllint --schema`. A file is offered only when valid.
 */
import { validateXML } from "xmllint-wasm";
import { AppError } from "~/platform/app-error";
import cdcSchema from "./cdc-pc5.xsd?raw";
import { buildDeclaration, type CdcPassage, type CdcSettings, type NotDeclarable } from "./declaration";

export { cdcSchema };

export type SchemaValidation = { valid: boolean; errors: string[] };

export async function validateAgainstCdcSchema(xml: string): Promise<SchemaValidation> {
  const result = await validateXML({
    xml: { fileName: "declaration.xml", contents: xml },
    schema: { fileName: "cdc-pc5.xsd", contents: cdcSchema },
  });
  return { valid: result.valid, errors: result.errors.map((error) => error.message.trim()) };
}

export type PreparedDeclaration = {
  /** The file to offer, null when no holder can be declared. */
  file: { name: string; xml: string } | null;
  idFlux: string;
  included: string[];
  notDeclarable: NotDeclarable[];
};

/**
 * Builds the flow, validates it against the schema and returns it with the holders left out. A file that fails the
 * schema is never offered: that is a bug of Quorum, refused with libxml2's messages.
 */
export async function prepareDeclaration(input: {
  settings: CdcSettings;
  passages: CdcPassage[];
  idFlux: string;
  now: Date;
}): Promise<PreparedDeclaration> {
  const declaration = buildDeclaration(input);
  if (declaration.included.length === 0) {
    return { file: null, idFlux: declaration.idFlux, included: [], notDeclarable: declaration.notDeclarable };
  }
  const validation = await validateAgainstCdcSchema(declaration.xml);
  if (!validation.valid) {
    throw new AppError("CONFLICT", "Le fichier de déclaration généré ne respecte pas le schéma : il n'est pas proposé.", {
      details: validation.errors,
    });
  }
  const stamp = input.now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return {
    file: { name: `accrochage-${input.settings.certifierIdClient}-${stamp}.xml`, xml: declaration.xml },
    idFlux: declaration.idFlux,
    included: declaration.included,
    notDeclarable: declaration.notDeclarable,
  };
}
