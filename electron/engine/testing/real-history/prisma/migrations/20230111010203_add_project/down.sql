DROP TABLE "Project";
