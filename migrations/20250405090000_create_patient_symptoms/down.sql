-- DropForeignKey
ALTER TABLE "patient_symptoms" DROP CONSTRAINT "patient_symptoms_patient_id_fkey";

-- DropTable
DROP TABLE "patient_symptoms";
