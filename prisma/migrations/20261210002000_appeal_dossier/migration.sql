-- An appeal's dossier as a relation (it was a bare column): a conflict of interest declared on an appeal reaches the
-- appellant's recusal facts in the same read as those declared on a jury's agenda (`evaluationBar`: the commission
-- grid's write access, « aucun conflit d'intérêts », the grid's signature). Cascades as the dossier's other records.
ALTER TABLE "Appeal" ADD CONSTRAINT "Appeal_dossierId_fkey" FOREIGN KEY ("dossierId") REFERENCES "Dossier"("id") ON DELETE CASCADE ON UPDATE CASCADE;
