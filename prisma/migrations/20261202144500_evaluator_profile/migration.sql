-- CreateEnum
CREATE TYPE "EvaluatorProfile" AS ENUM ('PROFESSIONAL', 'EXTERNAL');

-- AlterTable
ALTER TABLE "SessionMember" ADD COLUMN     "evaluatorProfile" "EvaluatorProfile";
