-- CreateTable
CREATE TABLE "booking_requests" (
    "id" SERIAL NOT NULL,
    "address" JSONB NOT NULL,
    "duration" SMALLINT NOT NULL,
    "topic" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "booking_requests_pkey" PRIMARY KEY ("id")
);
