DROP TABLE "User";
DROP TABLE "Organization";
DROP TYPE "Role";
