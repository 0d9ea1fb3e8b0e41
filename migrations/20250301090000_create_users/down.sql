-- DropTable
DROP TABLE "users";
