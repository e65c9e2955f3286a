-- AlterTable
ALTER TABLE "SessionSlot" ADD COLUMN     "stateVersion" INTEGER NOT NULL DEFAULT 0;
