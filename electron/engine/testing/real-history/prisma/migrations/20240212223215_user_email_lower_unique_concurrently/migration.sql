CREATE UNIQUE INDEX CONCURRENTLY "User_email_lower_key" ON "User" (lower("email"));
