-- DropTable
DROP TABLE "booking_requests";
