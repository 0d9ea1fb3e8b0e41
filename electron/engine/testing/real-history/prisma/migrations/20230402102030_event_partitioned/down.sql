DROP TABLE "Event";
