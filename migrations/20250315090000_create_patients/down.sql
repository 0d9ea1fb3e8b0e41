-- DropTable
DROP TABLE "patients";
