-- AlterTable
ALTER TABLE "Task" ADD COLUMN "externalRef" TEXT;

-- CreateIndex
CREATE INDEX "Task_externalRef_idx" ON "Task"("externalRef");
