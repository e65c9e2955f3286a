-- A rectified record (app/delivery/issue-rectified-record.server.ts) names the revoked record it replaces, the
-- original of a chain revoked as a whole. One rectified record at most per revoked record (unique).
ALTER TABLE "DeliveryRecord" ADD COLUMN "replacesId" TEXT;
CREATE UNIQUE INDEX "DeliveryRecord_replacesId_key" ON "DeliveryRecord"("replacesId");
ALTER TABLE "DeliveryRecord" ADD CONSTRAINT "DeliveryRecord_replacesId_fkey" FOREIGN KEY ("replacesId") REFERENCES "DeliveryRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
