COMMENT ON TABLE "ApiKey" IS 'hashed keys only; the raw key is shown once';
