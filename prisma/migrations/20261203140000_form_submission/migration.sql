-- FormSubmission: a creation form's submission key, written with what it created (app/platform/http/submission-key
-- .server.ts), so that the same submission sent twice creates one thing and both answers name it.
CREATE TABLE "FormSubmission" (
    "userId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "resultId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FormSubmission_pkey" PRIMARY KEY ("userId","key","action")
);

CREATE INDEX "FormSubmission_createdAt_idx" ON "FormSubmission"("createdAt");
