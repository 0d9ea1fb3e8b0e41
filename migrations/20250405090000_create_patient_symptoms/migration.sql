-- CreateTable
CREATE TABLE "patient_symptoms" (
    "id" SERIAL NOT NULL,
    "patient_id" INTEGER NOT NULL,
    "symptom" TEXT NOT NULL,
    "severity" SMALLINT NOT NULL,
    "noted_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patient_symptoms_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "patient_symptoms_patient_id_idx" ON "patient_symptoms"("patient_id");

-- AddForeignKey
ALTER TABLE "patient_symptoms" ADD CONSTRAINT "patient_symptoms_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE CASCADE;
