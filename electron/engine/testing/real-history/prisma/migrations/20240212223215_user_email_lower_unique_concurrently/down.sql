DROP INDEX CONCURRENTLY "User_email_lower_key";
